import { describe, expect, it } from 'vitest';
import { clampUnicodeLength, decodeCommandLine, MAX_COMMAND_LINE_BYTES, pebAddress, pointerAt, processNameFromImage, unicodeStringAt } from '../../../src/collect/windows/peb.js';

const base = 0x20000n;
function classSixty(text: string, length = text.length * 2, maximum = length + 2): Buffer {
  const b = Buffer.alloc(16 + text.length * 2 + 2);
  b.writeUInt16LE(length, 0); b.writeUInt16LE(maximum, 2); b.writeBigUInt64LE(base + 16n, 8);
  b.write(text, 16, 'utf16le');
  return b;
}

describe('the command line of ProcessCommandLineInformation (UNICODE_STRING + characters)', () => {
  it('decodes it', () => {
    expect(decodeCommandLine(classSixty('"C:\\x.exe" -a "b c"'), base)).toBe('"C:\\x.exe" -a "b c"');
  });
  it('clamps a Length that runs past the buffer, is odd or exceeds MaximumLength', () => {
    expect(decodeCommandLine(classSixty('abc', 60000, 60002), base)).toBe('abc\u0000');
    expect(decodeCommandLine(classSixty('abcd', 5, 10), base)).toBe('ab');
    expect(decodeCommandLine(classSixty('abcd', 8, 4), base)).toBe('ab');
    expect(clampUnicodeLength(70_000, 0, 1 << 20)).toBe(MAX_COMMAND_LINE_BYTES);
  });
  it('gives nothing for a Buffer pointer outside the buffer', () => {
    const b = classSixty('abc');
    b.writeBigUInt64LE(0x99999999n, 8);
    expect(decodeCommandLine(b, base)).toBeNull();
    expect(decodeCommandLine(Buffer.alloc(8), base)).toBeNull();
  });
});

describe('the PEB fallback', () => {
  it('reads PebBaseAddress, ProcessParameters and the CommandLine UNICODE_STRING at their x64 offsets', () => {
    const pbi = Buffer.alloc(48); pbi.writeBigUInt64LE(0x7ff0000n, 8);
    expect(pebAddress(pbi)).toBe(0x7ff0000n);
    const peb = Buffer.alloc(0x28); peb.writeBigUInt64LE(0x500000n, 0x20);
    expect(pointerAt(peb, 0x20)).toBe(0x500000n);
    const params = Buffer.alloc(0x80); params.writeUInt16LE(40, 0x70); params.writeUInt16LE(42, 0x72); params.writeBigUInt64LE(0x600000n, 0x78);
    expect(unicodeStringAt(params, 0x70)).toEqual({ address: 0x600000n, bytes: 40 });
    params.writeUInt16LE(41, 0x70);
    expect(unicodeStringAt(params, 0x70)!.bytes).toBe(40);
    expect(unicodeStringAt(Buffer.alloc(8), 0)).toBeNull();
  });
  it('names a process as Get-Process does: the image file name without .exe', () => {
    expect(processNameFromImage('C:\\Windows\\System32\\svchost.exe')).toBe('svchost');
    expect(processNameFromImage('C:\\Tools\\my.tool.EXE')).toBe('my.tool');
  });
});
