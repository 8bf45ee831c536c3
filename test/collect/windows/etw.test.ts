/**
 * The Kernel-Network ETW mapping on payloads laid out as the provider's manifest defines them:
 * connect, accept, disconnect over IPv4 and IPv6, UDP, and lost events becoming a Gap row.
 */
import { describe, expect, it } from 'vitest';
import { decodeKernelNetworkEvent, lostEventsDiagnostic } from '../../../src/collect/windows/etw.js';
import { noteEvent } from '../../../src/watch/watcher.js';

/** PID, size, daddr, saddr, dport, sport (network order), then the template's other fields (zeros). */
function payload(pid: number, size: number, daddr: number[], saddr: number[], dport: number, sport: number, tail = 24): Buffer {
  const b = Buffer.alloc(8 + daddr.length + saddr.length + 4 + tail);
  b.writeUInt32LE(pid, 0); b.writeUInt32LE(size, 4);
  Buffer.from(daddr).copy(b, 8); Buffer.from(saddr).copy(b, 8 + daddr.length);
  b.writeUInt16BE(dport, 8 + 2 * daddr.length); b.writeUInt16BE(sport, 8 + 2 * daddr.length + 2);
  return b;
}
const loop6 = [...Array(15).fill(0), 1];
const db8 = [0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 5];

describe('Microsoft-Windows-Kernel-Network events', () => {
  it('TCPv4 connect (12), accept (15), disconnect (13): pid and both ends', () => {
    const p = payload(4242, 0, [192, 0, 2, 9], [10, 0, 0, 5], 443, 51000);
    expect(decodeKernelNetworkEvent(12, p)).toEqual({ kind: 'connect', protocol: 'TCP', family: 'IPv4', pid: 4242, size: 0,
      remoteAddress: '192.0.2.9', remotePort: 443, localAddress: '10.0.0.5', localPort: 51000 });
    expect(decodeKernelNetworkEvent(15, payload(900, 0, [198, 51, 100, 7], [10, 0, 0, 5], 40001, 443))).toMatchObject({ kind: 'accept', pid: 900, localPort: 443, remoteAddress: '198.51.100.7' });
    expect(decodeKernelNetworkEvent(13, payload(4242, 0, [192, 0, 2, 9], [10, 0, 0, 5], 443, 51000, 8))).toMatchObject({ kind: 'disconnect', localPort: 51000 });
  });
  it('TCPv6 connect (28), accept (31), disconnect (29): 16-byte addresses', () => {
    expect(decodeKernelNetworkEvent(28, payload(7, 0, db8, loop6, 8443, 50000))).toEqual({ kind: 'connect', protocol: 'TCP', family: 'IPv6', pid: 7, size: 0,
      remoteAddress: '2001:db8::5', remotePort: 8443, localAddress: '::1', localPort: 50000 });
    expect(decodeKernelNetworkEvent(31, payload(8, 0, loop6, loop6, 50001, 22))).toMatchObject({ kind: 'accept', family: 'IPv6', localPort: 22 });
    expect(decodeKernelNetworkEvent(29, payload(7, 0, db8, loop6, 8443, 50000, 8))).toMatchObject({ kind: 'disconnect', family: 'IPv6' });
  });
  it('UDP send (42, 58) with its size; unknown ids and short payloads give nothing', () => {
    expect(decodeKernelNetworkEvent(42, payload(5, 120, [127, 0, 0, 53], [127, 0, 0, 1], 53, 40000))).toMatchObject({ kind: 'send', protocol: 'UDP', size: 120, remotePort: 53 });
    expect(decodeKernelNetworkEvent(58, payload(5, 64, loop6, loop6, 53, 40000))).toMatchObject({ protocol: 'UDP', family: 'IPv6' });
    expect(decodeKernelNetworkEvent(99, payload(1, 0, [1, 1, 1, 1], [2, 2, 2, 2], 1, 2))).toBeNull();
    expect(decodeKernelNetworkEvent(28, payload(1, 0, [1, 1, 1, 1], [2, 2, 2, 2], 1, 2, 0))).toBeNull();
  });
  it('lost events or buffers become a Gap row (and the logger resynchronises), none when nothing was lost', () => {
    const d = lostEventsDiagnostic(12, 1)!;
    expect(d.Code).toBe('PR_EVENTS_DROPPED');
    expect(d.Message).toMatch(/ETW lost 12 events and 1 buffers/);
    expect(noteEvent(d)).toBe('Gap');
    expect(lostEventsDiagnostic(0, 0)).toBeNull();
  });
});
