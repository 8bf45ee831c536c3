/**
 * The Windows row decoders on buffers laid out byte for byte as the x64 SDK headers define the
 * structs (tcpmib.h, udpmib.h, iprtrmib.h, winsvc.h, tlhelp32.h): they run on Linux.
 */
import { describe, expect, it } from 'vitest';
import { decodeEnumServiceStatusProcess, decodeOwnerModuleBasicInfo, decodeRow, decodeTable, fileTimeToIso, ipv6, ROW_SIZE } from '../../../src/collect/windows/mibtable.js';
import { decodeProcessEntry } from '../../../src/collect/windows/process.js';
import { sidToString } from '../../../src/collect/windows/accounts.js';

const be16port = (p: number) => ((p & 0xff) << 8) | (p >> 8); // a DWORD whose low bytes are the port in network order
const v4 = (s: string) => Buffer.from(s.split('.').map(Number));
const v6 = (words: number[]) => { const b = Buffer.alloc(16); words.forEach((w, i) => b.writeUInt16BE(w, i * 2)); return b; };
// 2026-11-02T10:00:00Z as a FILETIME.
const FT = (BigInt(Date.UTC(2026, 10, 2, 10)) + 11_644_473_600_000n) * 10_000n;

describe('MIB_TCPROW_OWNER_MODULE (160 bytes) in MIB_TCPTABLE_OWNER_MODULE (rows at 8)', () => {
  it('decodes state, addresses, ports in network order, pid, creation time and module info', () => {
    const t = Buffer.alloc(8 + 2 * ROW_SIZE.MIB_TCPROW_OWNER_MODULE);
    t.writeUInt32LE(2, 0);
    const r = (i: number) => 8 + i * 160;
    t.writeUInt32LE(5, r(0)); // MIB_TCP_STATE_ESTAB
    v4('10.0.0.5').copy(t, r(0) + 4); t.writeUInt32LE(be16port(51000), r(0) + 8);
    v4('192.0.2.9').copy(t, r(0) + 12); t.writeUInt32LE(be16port(443), r(0) + 16);
    t.writeUInt32LE(4242, r(0) + 20); t.writeBigUInt64LE(FT, r(0) + 24); t.writeBigUInt64LE(0xabcn, r(0) + 32);
    t.writeUInt32LE(2, r(1)); // LISTEN
    t.writeUInt32LE(be16port(3389), r(1) + 8); t.writeUInt32LE(1000, r(1) + 20);
    const rows = decodeTable('MIB_TCPROW_OWNER_MODULE', t);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ family: 'IPv4', localAddress: '10.0.0.5', localPort: 51000, remoteAddress: '192.0.2.9', remotePort: 443, state: 'Established', pid: 4242 });
    expect(fileTimeToIso(rows[0].createTimestamp)).toBe('2026-11-02T10:00:00.000Z');
    expect(rows[0].moduleInfo!.readBigUInt64LE(0)).toBe(0xabcn);
    expect(rows[0].row).toHaveLength(160);
    expect(rows[1]).toMatchObject({ localAddress: '0.0.0.0', localPort: 3389, state: 'Listen', pid: 1000 });
  });
  it('clamps the count to the rows the buffer holds', () => {
    const t = Buffer.alloc(8 + 160);
    t.writeUInt32LE(1000, 0);
    expect(decodeTable('MIB_TCPROW_OWNER_MODULE', t)).toHaveLength(1);
    expect(decodeTable('MIB_TCPROW_OWNER_MODULE', Buffer.alloc(2))).toEqual([]);
  });
});

describe('MIB_TCP6ROW_OWNER_MODULE (192 bytes)', () => {
  it('decodes IPv6 addresses, scope ids, state @48 and pid @52', () => {
    const b = Buffer.alloc(192);
    v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]).copy(b, 0); b.writeUInt32LE(7, 16); b.writeUInt32LE(be16port(443), 20);
    v6([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0209]).copy(b, 24); b.writeUInt32LE(9, 40); b.writeUInt32LE(be16port(50000), 44);
    b.writeUInt32LE(11, 48); b.writeUInt32LE(77, 52); b.writeBigUInt64LE(FT, 56);
    expect(decodeRow('MIB_TCP6ROW_OWNER_MODULE', b, 0)).toMatchObject({ family: 'IPv6', localAddress: '2001:db8::1', localScopeId: 7, localPort: 443,
      remoteAddress: '::ffff:192.0.2.9', remoteScopeId: 9, remotePort: 50000, state: 'TimeWait', pid: 77 });
  });
  it('prints IPv6 as RFC 5952 does', () => {
    expect(ipv6(v6([0, 0, 0, 0, 0, 0, 0, 1]), 0)).toBe('::1');
    expect(ipv6(v6([0, 0, 0, 0, 0, 0, 0, 0]), 0)).toBe('::');
    expect(ipv6(v6([0xfe80, 0, 0, 0, 0x1, 0, 0, 0x2]), 0)).toBe('fe80::1:0:0:2');
  });
});

describe('MIB_UDPROW_OWNER_MODULE (160) and MIB_UDP6ROW_OWNER_MODULE (176)', () => {
  it('decodes address, port and pid, with the creation time at 16 (v4) and 32 (v6)', () => {
    const b = Buffer.alloc(160);
    v4('127.0.0.1').copy(b, 0); b.writeUInt32LE(be16port(53), 4); b.writeUInt32LE(900, 8); b.writeBigUInt64LE(FT, 16);
    const r = decodeRow('MIB_UDPROW_OWNER_MODULE', b, 0);
    expect(r).toMatchObject({ family: 'IPv4', localAddress: '127.0.0.1', localPort: 53, pid: 900, state: 'Bound', remoteAddress: '0.0.0.0' });
    expect(fileTimeToIso(r.createTimestamp)).toBe('2026-11-02T10:00:00.000Z');
    const c = Buffer.alloc(8 + 176);
    c.writeUInt32LE(1, 0);
    v6([0, 0, 0, 0, 0, 0, 0, 1]).copy(c, 8); c.writeUInt32LE(be16port(5353), 8 + 20); c.writeUInt32LE(901, 8 + 24); c.writeBigUInt64LE(FT, 8 + 32);
    const [u6] = decodeTable('MIB_UDP6ROW_OWNER_MODULE', c);
    expect(u6).toMatchObject({ family: 'IPv6', localAddress: '::1', localPort: 5353, pid: 901, remoteAddress: '::' });
    expect(fileTimeToIso(u6.createTimestamp)).toBe('2026-11-02T10:00:00.000Z');
  });
  it('decodes the OWNER_PID classes (rows at 4)', () => {
    const t = Buffer.alloc(4 + 24);
    t.writeUInt32LE(1, 0); t.writeUInt32LE(5, 4); v4('10.0.0.1').copy(t, 8); t.writeUInt32LE(be16port(22), 12); t.writeUInt32LE(55, 24);
    expect(decodeTable('MIB_TCPROW_OWNER_PID', t)[0]).toMatchObject({ localAddress: '10.0.0.1', localPort: 22, pid: 55, createTimestamp: 0n, moduleInfo: null });
  });
});

describe('buffers with pointers into themselves', () => {
  const base = 0x10000n;
  it('TCPIP_OWNER_MODULE_BASIC_INFO: pModuleName and pModulePath', () => {
    const b = Buffer.alloc(128);
    b.writeBigUInt64LE(base + 16n, 0); b.writeBigUInt64LE(base + 40n, 8);
    b.write('RpcSs\0', 16, 'utf16le'); b.write('C:\\x.exe\0', 40, 'utf16le');
    expect(decodeOwnerModuleBasicInfo(b, base)).toEqual({ name: 'RpcSs', path: 'C:\\x.exe' });
    b.writeBigUInt64LE(0xdeadn, 0); // a pointer outside the buffer gives nothing
    expect(decodeOwnerModuleBasicInfo(b, base).name).toBeNull();
  });
  it('ENUM_SERVICE_STATUS_PROCESSW (56 bytes): names and dwProcessId @44', () => {
    const b = Buffer.alloc(2 * 56 + 64);
    const str = 112;
    b.write('RpcSs\0', str, 'utf16le'); b.write('Remote Procedure Call\0', str + 12, 'utf16le');
    for (const [i, pid] of [[0, 224], [1, 224]]) {
      b.writeBigUInt64LE(base + BigInt(str), i * 56); b.writeBigUInt64LE(base + BigInt(str + 12), i * 56 + 8);
      b.writeUInt32LE(0x20, i * 56 + 16); b.writeUInt32LE(4, i * 56 + 20); b.writeUInt32LE(pid, i * 56 + 44);
    }
    expect(decodeEnumServiceStatusProcess(b, base, 2)).toEqual([
      { serviceName: 'RpcSs', displayName: 'Remote Procedure Call', type: 0x20, state: 4, pid: 224 },
      { serviceName: 'RpcSs', displayName: 'Remote Procedure Call', type: 0x20, state: 4, pid: 224 }]);
    // A count beyond the buffer is clamped to the 3 entries it can hold; the third holds no name: skipped.
    expect(decodeEnumServiceStatusProcess(b, base, 99)).toHaveLength(2);
  });
});

describe('PROCESSENTRY32W and SIDs', () => {
  it('PROCESSENTRY32W: pid @8, parent @32, szExeFile @44', () => {
    const b = Buffer.alloc(568);
    b.writeUInt32LE(568, 0); b.writeUInt32LE(1234, 8); b.writeUInt32LE(600, 32); b.write('svchost.exe\0', 44, 'utf16le');
    expect(decodeProcessEntry(b)).toEqual({ pid: 1234, parent: 600, exe: 'svchost.exe' });
  });
  it('a SID as S-1-5-...', () => {
    const sid = Buffer.from([1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]);
    expect(sidToString(sid)).toBe('S-1-5-18');
    const user = Buffer.alloc(8 + 5 * 4);
    user[0] = 1; user[1] = 5; user[7] = 5;
    [21, 1, 2, 3, 1001].forEach((v, i) => user.writeUInt32LE(v, 8 + i * 4));
    expect(sidToString(user)).toBe('S-1-5-21-1-2-3-1001');
    expect(sidToString(Buffer.from([2, 1, 0, 0, 0, 0, 0, 5]))).toBeNull();
  });
});

describe('ESTATS', () => {
  it('names a connection by MIB_TCPROW (the OWNER row\'s first 20 bytes) or a rebuilt MIB_TCP6ROW (52 bytes)', async () => {
    const { estatsRow } = await import('../../../src/collect/windows/mibtable.js');
    const r4 = Buffer.alloc(160); r4.writeUInt32LE(5, 0); r4.writeUInt32LE(0xdeadbeef, 20); // pid is not part of it
    expect(estatsRow('MIB_TCPROW_OWNER_MODULE', r4)).toEqual(r4.subarray(0, 20));
    const r6 = Buffer.alloc(192);
    v6([0, 0, 0, 0, 0, 0, 0, 1]).copy(r6, 0); r6.writeUInt32LE(3, 16); r6.writeUInt32LE(be16port(443), 20);
    v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 2]).copy(r6, 24); r6.writeUInt32LE(4, 40); r6.writeUInt32LE(be16port(50000), 44); r6.writeUInt32LE(5, 48);
    const k = estatsRow('MIB_TCP6ROW_OWNER_MODULE', r6)!;
    expect(k).toHaveLength(52);
    expect(k.readUInt32LE(0)).toBe(5);
    expect(ipv6(k, 4)).toBe('::1'); expect(k.readUInt32LE(20)).toBe(3); expect(k.readUInt32LE(24)).toBe(be16port(443));
    expect(ipv6(k, 28)).toBe('2001:db8::2'); expect(k.readUInt32LE(44)).toBe(4); expect(k.readUInt32LE(48)).toBe(be16port(50000));
    expect(estatsRow('MIB_UDPROW_OWNER_MODULE', Buffer.alloc(160))).toBeNull();
  });
  it('reads ThruBytesAcked @72 and ThruBytesReceived @88 of TCP_ESTATS_DATA_ROD_v0 (96 bytes)', async () => {
    const { decodeEstatsDataRod } = await import('../../../src/collect/windows/mibtable.js');
    const b = Buffer.alloc(96); b.writeBigUInt64LE(1234n, 72); b.writeBigUInt64LE(99n, 88); b.writeBigUInt64LE(7n, 0);
    expect(decodeEstatsDataRod(b)).toEqual({ bytesSent: 1234, bytesReceived: 99 });
    expect(decodeEstatsDataRod(Buffer.alloc(40))).toBeNull();
  });
});
