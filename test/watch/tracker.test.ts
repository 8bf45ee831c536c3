import { describe, expect, it } from 'vitest';
import { ConnectionTracker } from '../../src/watch/tracker.js';
import type { ProcessInfo, RawSocket } from '../../src/model/record.js';

const sock = (o: Partial<RawSocket>): RawSocket => ({
  protocol: 'TCP', family: 'IPv4', localAddress: '127.0.0.1', localPort: 1000, remoteAddress: '127.0.0.1', remotePort: 2000,
  state: 'Established', inode: 1, uid: 0, cookie: '1', bytesAcked: 0, bytesReceived: 0, source: 'netlink', ...o,
});
const proc = { ProcessId: 7, ProcessName: 'sshd' } as ProcessInfo;
const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const known = () => ({ owner: proc, status: 'Known' as const });

describe('ConnectionTracker', () => {
  it('emits Open, StateChange and Close (poll), keeping owner and first-seen', () => {
    const tr = new ConnectionTracker();
    expect(tr.poll([sock({})], t(0), known).map((e) => e.event)).toEqual(['Open']);
    expect(tr.poll([sock({})], t(1), known)).toEqual([]);
    const ch = tr.poll([sock({ state: 'CloseWait' })], t(2), known);
    expect(ch.map((e) => [e.event, e.previousState, e.socket.state])).toEqual([['StateChange', 'Established', 'CloseWait']]);
    const cl = tr.poll([], t(3), known);
    expect(cl.map((e) => [e.event, e.source, e.owner?.ProcessId, e.firstSeen?.toISOString()])).toEqual([['Close', 'poll', 7, t(0).toISOString()]]);
  });

  it('closes a tracked socket on its destroy event, with final bytes, once', () => {
    const tr = new ConnectionTracker();
    tr.poll([sock({})], t(0), known);
    const ev = tr.destroyed([sock({ state: 'Closed', inode: 0, bytesAcked: 99 })], t(1));
    expect(ev.map((e) => [e.event, e.source, e.owner?.ProcessId, e.socket.bytesAcked, e.socket.inode])).toEqual([['Close', 'destroy', 7, 99, 1]]);
    // A poll that raced the close and still shows the socket must not reopen it.
    expect(tr.poll([sock({})], t(1), known)).toEqual([]);
    expect(tr.destroyed([sock({ state: 'Closed' })], t(2))).toEqual([]);
  });

  it('attributes a connection that lived between polls to the listener on its local port', () => {
    const tr = new ConnectionTracker();
    tr.poll([sock({ cookie: 'L', state: 'Listen', localAddress: '0.0.0.0', localPort: 22, remoteAddress: '0.0.0.0', remotePort: 0 })], t(0), known);
    tr.poll([sock({ cookie: 'L', state: 'Listen', localAddress: '0.0.0.0', localPort: 22, remoteAddress: '0.0.0.0', remotePort: 0 })], t(1), known);
    const [server, client] = tr.destroyed([
      sock({ cookie: 'a', localPort: 22, remotePort: 5000, state: 'Closed' }),
      sock({ cookie: 'b', localPort: 5000, remotePort: 22, state: 'Closed' }),
    ], t(2));
    expect([server.ownerStatus, server.owner?.ProcessId, server.firstSeen]).toEqual(['Inferred', 7, null]);
    expect([client.ownerStatus, client.owner]).toEqual(['NotFound', null]);
  });

  it('tracks sockets first seen in TIME_WAIT quietly: their close was already logged', () => {
    const tr = new ConnectionTracker();
    expect(tr.poll([sock({ state: 'TimeWait', inode: 0 })], t(0), known)).toEqual([]);
    expect(tr.poll([], t(1), known)).toEqual([]);
  });

  it('takes unchanged sockets by touch() alone, and still closes the untouched', () => {
    const tr = new ConnectionTracker();
    tr.poll([sock({ cookie: 'a' }), sock({ cookie: 'b', localPort: 1001 })], t(0), known);
    tr.beginPoll();
    expect(tr.touch('a', 'Established', t(1))).toBe(true);
    expect(tr.touch('b', 'CloseWait', t(1))).toBe(false); // changed: must be parsed and passed
    expect(tr.touch('zz', 'Established', t(1))).toBe(false); // unknown: likewise
    const ev = tr.poll([sock({ cookie: 'b', localPort: 1001, state: 'CloseWait' })], t(1), known);
    expect(ev.map((e) => [e.event, e.socket.cookie])).toEqual([['StateChange', 'b']]);
    tr.beginPoll();
    tr.touch('b', 'CloseWait', t(2));
    expect(tr.poll([], t(2), known).map((e) => [e.event, e.socket.cookie])).toEqual([['Close', 'a']]);
  });

  it('keys by tuple and inode when there is no cookie (/proc/net)', () => {
    const tr = new ConnectionTracker();
    tr.poll([sock({ cookie: null })], t(0), known);
    expect(tr.poll([sock({ cookie: null })], t(1), known)).toEqual([]);
    expect(tr.poll([sock({ cookie: null, inode: 2 })], t(2), known).map((e) => e.event).sort()).toEqual(['Close', 'Open']);
  });
});
