/**
 * Kernel-Network events between polls as connection rows (src/watch/windows/events.ts), on Linux:
 * payloads laid out as the provider's manifest defines them, decoded, fed to the shared tracker
 * beside literal Windows poll rows.
 */
import { describe, expect, it } from 'vitest';
import { decodeKernelNetworkEvent } from '../../../src/collect/windows/etw.js';
import { ConnectionTracker, UNKNOWN_UID } from '../../../src/watch/tracker.js';
import { applyNetworkEvents, eventSocket, windowsCookie, type PidSocket } from '../../../src/watch/windows/events.js';
import type { ProcessInfo } from '../../../src/model/record.js';

function payload(pid: number, daddr: number[], saddr: number[], dport: number, sport: number): Buffer {
  const b = Buffer.alloc(8 + daddr.length * 2 + 4 + 24);
  b.writeUInt32LE(pid, 0);
  Buffer.from(daddr).copy(b, 8);
  Buffer.from(saddr).copy(b, 8 + daddr.length);
  b.writeUInt16BE(dport, 8 + 2 * daddr.length);
  b.writeUInt16BE(sport, 8 + 2 * daddr.length + 2);
  return b;
}
const ev = (id: number, p: Buffer) => decodeKernelNetworkEvent(id, p)!;
const proc = (pid: number): ProcessInfo => ({ ProcessId: pid, ProcessName: `p${pid}`, ExecutablePath: `C:\\p${pid}.exe` } as ProcessInfo);
const lookup = (s: { pid?: number } & object) => ({ owner: proc((s as PidSocket).pid), status: 'Known' as const });
const at = (ms: number) => new Date(1_800_000_000_000 + ms);

describe('Kernel-Network events as connections between polls', () => {
  const v4 = payload(4321, [127, 0, 0, 1], [127, 0, 0, 1], 8080, 50123);
  const v6 = payload(4321, [...Array(15).fill(0), 1], [...Array(15).fill(0), 1], 8443, 50124);

  it('a connection opened and closed between two polls is an Open and a Close row with the event pid\'s owner, v4 and v6', () => {
    const t = new ConnectionTracker();
    t.poll([], at(0), lookup);
    const rows = applyNetworkEvents(t, [
      { event: ev(12, v4), time: at(10) }, { event: ev(13, v4), time: at(20) },
      { event: ev(28, v6), time: at(30) }, { event: ev(29, v6), time: at(40) },
    ], lookup);
    expect(rows.map((r) => [r.event, r.socket.family, r.socket.localPort, r.socket.remotePort, r.owner?.ProcessId, r.source])).toEqual([
      ['Open', 'IPv4', 50123, 8080, 4321, 'etw'], ['Close', 'IPv4', 50123, 8080, 4321, 'etw'],
      ['Open', 'IPv6', 50124, 8443, 4321, 'etw'], ['Close', 'IPv6', 50124, 8443, 4321, 'etw'],
    ]);
    expect(rows[1].firstSeen).toEqual(at(10));
    expect(rows[0].socket.uid).toBe(UNKNOWN_UID);
    // The next poll lists neither: no second Close.
    expect(t.poll([], at(1000), lookup)).toEqual([]);
  });

  it('a poll that lists a connection an event opened adds no second Open; a poll that misses it closes it', () => {
    const t = new ConnectionTracker();
    t.poll([], at(0), lookup);
    const accept = ev(15, payload(77, [10, 0, 0, 9], [10, 0, 0, 1], 40001, 443));
    expect(applyNetworkEvents(t, [{ event: accept, time: at(5) }], lookup).map((r) => r.event)).toEqual(['Open']);
    const polled = { ...eventSocket(accept)!, state: 'Established' as const };
    expect(polled.cookie).toBe(windowsCookie('TCP', '10.0.0.1', 443, '10.0.0.9', 40001, 77));
    expect(t.poll([polled], at(1000), lookup)).toEqual([]);
    const gone = t.poll([], at(2000), lookup);
    expect(gone.map((r) => [r.event, r.source, r.owner?.ProcessId])).toEqual([['Close', 'poll', 77]]);
  });

  it('a disconnect of a connection a poll saw closes it with the owner known since then; the same close twice is one row', () => {
    const t = new ConnectionTracker();
    const s = { ...eventSocket(ev(12, v4))!, state: 'Established' as const };
    t.poll([s], at(0), () => ({ owner: proc(1), status: 'Known' }));
    const rows = applyNetworkEvents(t, [{ event: ev(13, v4), time: at(50) }, { event: ev(13, v4), time: at(60) }], lookup);
    expect(rows.map((r) => [r.event, r.owner?.ProcessId, r.previousState])).toEqual([['Close', 1, 'Established']]);
  });

  it('UDP send/receive and send/receive of TCP open nothing', () => {
    const t = new ConnectionTracker();
    const udp = ev(42, payload(5, [127, 0, 0, 1], [127, 0, 0, 1], 53, 5353));
    expect(udp.protocol).toBe('UDP');
    expect(applyNetworkEvents(t, [{ event: udp, time: at(1) }, { event: ev(10, v4), time: at(2) }], lookup)).toEqual([]);
  });
});
