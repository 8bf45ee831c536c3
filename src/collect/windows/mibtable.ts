/**
 * Pure decoders of the buffers iphlpapi and advapi32 fill, each named after its SDK struct and
 * laid out as the x64 Windows headers define it (tcpmib.h, udpmib.h, iprtrmib.h, winsvc.h): tests
 * feed literal bytes. Ports sit in network byte order in the low 16 bits of a DWORD; IPv4
 * addresses are DWORDs in network byte order (their bytes, in memory order, are a.b.c.d).
 */
import type { SocketState } from '../../model/record.js';

/** MIB_TCP_STATE (tcpmib.h). */
const TCP_STATES: Record<number, SocketState> = {
  1: 'Closed', 2: 'Listen', 3: 'SynSent', 4: 'SynReceived', 5: 'Established', 6: 'FinWait1', 7: 'FinWait2',
  8: 'CloseWait', 9: 'Closing', 10: 'LastAck', 11: 'TimeWait', 12: 'Closed', /* DELETE_TCB */
};

export interface MibRow {
  family: 'IPv4' | 'IPv6';
  localAddress: string;
  localScopeId: number;
  localPort: number;
  remoteAddress: string;
  remoteScopeId: number;
  remotePort: number;
  state: SocketState;
  pid: number;
  /** liCreateTimestamp as a FILETIME (100 ns since 1601), 0 when unknown (Wine, OWNER_PID classes). */
  createTimestamp: bigint;
  /** OwningModuleInfo[16] (null for OWNER_PID rows). */
  moduleInfo: Buffer | null;
  /** The row's own bytes, as GetOwnerModuleFrom*Entry and ESTATS take the row back. */
  row?: Buffer;
}

/** The row's own bytes, as GetOwnerModuleFrom*Entry takes the row back (OWNER_MODULE rows). */
export function rowBytes(struct: RowStruct, b: Buffer, at: number): Buffer {
  return Buffer.from(b.subarray(at, at + ROW_SIZE[struct]));
}

/** Sizes of one row of each table class (x64). */
export const ROW_SIZE = {
  MIB_TCPROW_OWNER_PID: 24, MIB_TCP6ROW_OWNER_PID: 56, MIB_UDPROW_OWNER_PID: 12, MIB_UDP6ROW_OWNER_PID: 28,
  MIB_TCPROW_OWNER_MODULE: 160, MIB_TCP6ROW_OWNER_MODULE: 192, MIB_UDPROW_OWNER_MODULE: 160, MIB_UDP6ROW_OWNER_MODULE: 176,
} as const;
export type RowStruct = keyof typeof ROW_SIZE;

const port = (b: Buffer, o: number) => (b[o] << 8) | b[o + 1];
const ipv4 = (b: Buffer, o: number) => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;

/** IPv6 text as Windows and Linux print it: RFC 5952 (lower case, longest zero run as ::, IPv4-mapped dotted). */
export function ipv6(b: Buffer, o: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push(b.readUInt16BE(o + i * 2));
  if (w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff) return `::ffff:${ipv4(b, o + 12)}`;
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = w.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** One row of a table; `at` is the row's offset in the buffer. */
export function decodeRow(struct: RowStruct, b: Buffer, at: number): MibRow {
  const u32 = (o: number) => b.readUInt32LE(at + o);
  const ts = (o: number) => b.readBigUInt64LE(at + o);
  const mod = (o: number) => Buffer.from(b.subarray(at + o, at + o + 128));
  switch (struct) {
    case 'MIB_TCPROW_OWNER_PID':
    case 'MIB_TCPROW_OWNER_MODULE':
      // dwState, dwLocalAddr, dwLocalPort, dwRemoteAddr, dwRemotePort, dwOwningPid[, liCreateTimestamp @24, OwningModuleInfo @32]
      return { family: 'IPv4', localAddress: ipv4(b, at + 4), localScopeId: 0, localPort: port(b, at + 8), remoteAddress: ipv4(b, at + 12), remoteScopeId: 0,
        remotePort: port(b, at + 16), state: TCP_STATES[u32(0)] ?? 'Unknown', pid: u32(20),
        createTimestamp: struct === 'MIB_TCPROW_OWNER_MODULE' ? ts(24) : 0n, moduleInfo: struct === 'MIB_TCPROW_OWNER_MODULE' ? mod(32) : null };
    case 'MIB_TCP6ROW_OWNER_PID':
    case 'MIB_TCP6ROW_OWNER_MODULE':
      // ucLocalAddr[16], dwLocalScopeId @16, dwLocalPort @20, ucRemoteAddr[16] @24, dwRemoteScopeId @40, dwRemotePort @44,
      // dwState @48, dwOwningPid @52[, liCreateTimestamp @56, OwningModuleInfo @64]
      return { family: 'IPv6', localAddress: ipv6(b, at), localScopeId: u32(16), localPort: port(b, at + 20), remoteAddress: ipv6(b, at + 24),
        remoteScopeId: u32(40), remotePort: port(b, at + 44), state: TCP_STATES[u32(48)] ?? 'Unknown', pid: u32(52),
        createTimestamp: struct === 'MIB_TCP6ROW_OWNER_MODULE' ? ts(56) : 0n, moduleInfo: struct === 'MIB_TCP6ROW_OWNER_MODULE' ? mod(64) : null };
    case 'MIB_UDPROW_OWNER_PID':
    case 'MIB_UDPROW_OWNER_MODULE':
      // dwLocalAddr, dwLocalPort, dwOwningPid[, liCreateTimestamp @16, dwFlags @24, OwningModuleInfo @32]
      return { family: 'IPv4', localAddress: ipv4(b, at), localScopeId: 0, localPort: port(b, at + 4), remoteAddress: '0.0.0.0', remoteScopeId: 0,
        remotePort: 0, state: 'Bound', pid: u32(8),
        createTimestamp: struct === 'MIB_UDPROW_OWNER_MODULE' ? ts(16) : 0n, moduleInfo: struct === 'MIB_UDPROW_OWNER_MODULE' ? mod(32) : null };
    case 'MIB_UDP6ROW_OWNER_PID':
    case 'MIB_UDP6ROW_OWNER_MODULE':
      // ucLocalAddr[16], dwLocalScopeId @16, dwLocalPort @20, dwOwningPid @24[, liCreateTimestamp @32, dwFlags @40, OwningModuleInfo @48]
      return { family: 'IPv6', localAddress: ipv6(b, at), localScopeId: u32(16), localPort: port(b, at + 20), remoteAddress: '::', remoteScopeId: 0,
        remotePort: 0, state: 'Bound', pid: u32(24),
        createTimestamp: struct === 'MIB_UDP6ROW_OWNER_MODULE' ? ts(32) : 0n, moduleInfo: struct === 'MIB_UDP6ROW_OWNER_MODULE' ? mod(48) : null };
  }
}

/**
 * A whole MIB_*TABLE_OWNER_*: dwNumEntries, then the rows (at 8 for the OWNER_MODULE tables, whose
 * rows hold 64-bit fields; at 4 for OWNER_PID). The count is clamped to what the buffer holds.
 */
export function decodeTable(struct: RowStruct, b: Buffer): MibRow[] {
  if (b.length < 4) return [];
  const first = struct.endsWith('_MODULE') ? 8 : 4;
  const size = ROW_SIZE[struct];
  const n = Math.min(b.readUInt32LE(0), Math.max(0, Math.floor((b.length - first) / size)));
  const rows: MibRow[] = [];
  for (let i = 0; i < n; i++) {
    const r = decodeRow(struct, b, first + i * size);
    r.row = rowBytes(struct, b, first + i * size);
    rows.push(r);
  }
  return rows;
}

/** A FILETIME (100 ns since 1601-01-01 UTC) as ISO-8601 UTC; null for 0. */
export function fileTimeToIso(ft: bigint): string | null {
  if (ft <= 0n) return null;
  const ms = Number(ft / 10_000n) - 11_644_473_600_000;
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null;
}

/** A NUL-terminated UTF-16LE string at `offset` of `b` (bounded by the buffer); null when out of it. */
export function wideString(b: Buffer, offset: number): string | null {
  if (offset < 0 || offset >= b.length) return null;
  let end = offset;
  while (end + 1 < b.length && (b[end] !== 0 || b[end + 1] !== 0)) end += 2;
  return b.toString('utf16le', offset, end);
}

/** A pointer field holding an address inside `b` (which starts at `base`) as an offset, or -1. */
function inside(b: Buffer, base: bigint, o: number): number {
  const p = b.readBigUInt64LE(o);
  if (p === 0n || p < base || p >= base + BigInt(b.length)) return -1;
  return Number(p - base);
}

/** TCPIP_OWNER_MODULE_BASIC_INFO { PWCHAR pModuleName; PWCHAR pModulePath; }, strings in the same buffer. */
export function decodeOwnerModuleBasicInfo(b: Buffer, base: bigint): { name: string | null; path: string | null } {
  if (b.length < 16) return { name: null, path: null };
  return { name: wideString(b, inside(b, base, 0)), path: wideString(b, inside(b, base, 8)) };
}

export interface ServiceProcess { serviceName: string; displayName: string | null; pid: number; state: number; type: number }

/** ENUM_SERVICE_STATUS_PROCESSW entries (56 bytes each on x64: two string pointers, SERVICE_STATUS_PROCESS). */
export const ENUM_SERVICE_STATUS_PROCESSW_SIZE = 56;
export function decodeEnumServiceStatusProcess(b: Buffer, base: bigint, count: number): ServiceProcess[] {
  const out: ServiceProcess[] = [];
  const n = Math.min(count, Math.floor(b.length / ENUM_SERVICE_STATUS_PROCESSW_SIZE));
  for (let i = 0; i < n; i++) {
    const o = i * ENUM_SERVICE_STATUS_PROCESSW_SIZE;
    const name = wideString(b, inside(b, base, o));
    if (name === null) continue;
    // SERVICE_STATUS_PROCESS at 16: dwServiceType, dwCurrentState, ..., dwProcessId at +28 (44).
    out.push({ serviceName: name, displayName: wideString(b, inside(b, base, o + 8)), type: b.readUInt32LE(o + 16), state: b.readUInt32LE(o + 20), pid: b.readUInt32LE(o + 44) });
  }
  return out;
}

/**
 * The MIB_TCPROW (20 bytes: dwState, dwLocalAddr, dwLocalPort, dwRemoteAddr, dwRemotePort) or
 * MIB_TCP6ROW (52: State, LocalAddr[16], dwLocalScopeId, dwLocalPort, RemoteAddr[16],
 * dwRemoteScopeId, dwRemotePort) that names a connection to the ESTATS calls: the leading fields of
 * an OWNER row for IPv4; rebuilt from the OWNER row's fields for IPv6.
 */
export function estatsRow(struct: RowStruct, row: Buffer): Buffer | null {
  if (struct === 'MIB_TCPROW_OWNER_MODULE' || struct === 'MIB_TCPROW_OWNER_PID') return Buffer.from(row.subarray(0, 20));
  if (struct !== 'MIB_TCP6ROW_OWNER_MODULE' && struct !== 'MIB_TCP6ROW_OWNER_PID') return null;
  const b = Buffer.alloc(52);
  b.writeUInt32LE(row.readUInt32LE(48), 0); // State
  row.copy(b, 4, 0, 24); // LocalAddr, dwLocalScopeId, dwLocalPort
  row.copy(b, 28, 24, 48); // RemoteAddr, dwRemoteScopeId, dwRemotePort
  return b;
}

/** TCP_ESTATS_DATA_ROD_v0 (96 bytes): ThruBytesAcked @72 (sent and acknowledged), ThruBytesReceived @88. */
export const TCP_ESTATS_DATA_ROD_V0_SIZE = 96;
export function decodeEstatsDataRod(b: Buffer): { bytesSent: number; bytesReceived: number } | null {
  if (b.length < TCP_ESTATS_DATA_ROD_V0_SIZE) return null;
  return { bytesSent: Number(b.readBigUInt64LE(72)), bytesReceived: Number(b.readBigUInt64LE(88)) };
}
