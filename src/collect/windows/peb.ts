/**
 * Pure decoding of a process's parameters: the command line that
 * NtQueryInformationProcess(ProcessCommandLineInformation = 60) returns as a UNICODE_STRING
 * { USHORT Length; USHORT MaximumLength; PWSTR Buffer; } followed by its characters, in one buffer.
 * The length is clamped (osquery's clampPebReadLength): a Length that is odd, larger than
 * MaximumLength, or running past the buffer is cut to what the buffer really holds, and a Buffer
 * pointer outside the buffer gives nothing, so a hostile or racing process cannot make us read
 * beyond what the call returned.
 */

/** Bytes of UNICODE_STRING on x64 (two USHORTs, padding, a pointer). */
export const UNICODE_STRING_SIZE = 16;

/** The longest command line Windows allows (32,767 UTF-16 units), in bytes. */
export const MAX_COMMAND_LINE_BYTES = 32_767 * 2;

/** A UNICODE_STRING's byte length, clamped to what `available` bytes can hold, even, at most 32,767 units. */
export function clampUnicodeLength(length: number, maximumLength: number, available: number): number {
  let n = Math.min(length, maximumLength || length, Math.max(0, available), MAX_COMMAND_LINE_BYTES);
  if (n < 0) n = 0;
  return n - (n % 2);
}

/** The command line in a class-60 buffer that starts at address `base`; null when it does not hold one. */
export function decodeCommandLine(b: Buffer, base: bigint): string | null {
  if (b.length < UNICODE_STRING_SIZE) return null;
  const length = b.readUInt16LE(0);
  const maximum = b.readUInt16LE(2);
  const ptr = b.readBigUInt64LE(8);
  if (length === 0) return '';
  if (ptr < base || ptr >= base + BigInt(b.length)) return null;
  const at = Number(ptr - base);
  const n = clampUnicodeLength(length, maximum, b.length - at);
  return b.toString('utf16le', at, at + n);
}

/** The file name of a Windows image path, without ".exe", as Get-Process shows a process's name. */
export function processNameFromImage(path: string): string {
  const file = path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
  return file.replace(/\.exe$/i, '');
}

/**
 * The fallback where class 60 is missing (before Windows 8.1; Wine): ProcessBasicInformation
 * (class 0) gives the PEB's address, the PEB (x64) holds ProcessParameters at 0x20, and
 * RTL_USER_PROCESS_PARAMETERS holds the CommandLine UNICODE_STRING at 0x70; its characters are then
 * read from the process, at most the clamped length.
 */
export const ProcessBasicInformation = 0;
export const PROCESS_BASIC_INFORMATION_SIZE = 48;
export const PEB_PROCESS_PARAMETERS = 0x20;
export const PARAMETERS_COMMAND_LINE = 0x70;

/** PROCESS_BASIC_INFORMATION.PebBaseAddress (at 8 on x64). */
export const pebAddress = (b: Buffer): bigint => (b.length >= 16 ? b.readBigUInt64LE(8) : 0n);

/** A pointer read from another process's memory (0 when the buffer is short). */
export const pointerAt = (b: Buffer, at: number): bigint => (b.length >= at + 8 ? b.readBigUInt64LE(at) : 0n);

/** A UNICODE_STRING read from another process: its address and its clamped byte length. */
export function unicodeStringAt(b: Buffer, at: number): { address: bigint; bytes: number } | null {
  if (b.length < at + UNICODE_STRING_SIZE) return null;
  const length = b.readUInt16LE(at), maximum = b.readUInt16LE(at + 2), address = b.readBigUInt64LE(at + 8);
  if (address === 0n) return null;
  return { address, bytes: clampUnicodeLength(length, maximum, MAX_COMMAND_LINE_BYTES) };
}
