/**
 * Kernel-Network events (decoded by collect/windows/etw.ts) as the tracker's connection events, for
 * the connections that open and close between two polls. Pure: tests feed decoded events. A
 * socket's key is the Windows poll's (protocol, both ends, pid), so a connection an event opened
 * and a poll then lists is one connection. UDP send/receive carry no open or close: UDP endpoints
 * come from the polls.
 */
import type { NetworkEvent } from '../../collect/windows/etw.js';
import type { RawSocket, SocketState } from '../../model/record.js';
import { UNKNOWN_UID, type ConnEvent, type ConnectionTracker, type OwnerLookup } from '../tracker.js';

export type PidSocket = RawSocket & { pid: number };

export function windowsCookie(protocol: string, la: string, lp: number, ra: string, rp: number, pid: number): string {
  return `${protocol}|${la}|${lp}|${ra}|${rp}|${pid}`;
}

const STATE: Partial<Record<NetworkEvent['kind'], SocketState>> = { connect: 'SynSent', accept: 'Established', disconnect: 'Closed' };

export function eventSocket(e: NetworkEvent): PidSocket | null {
  const state = STATE[e.kind];
  if (!state || e.protocol !== 'TCP') return null;
  return {
    protocol: e.protocol, family: e.family, localAddress: e.localAddress, localPort: e.localPort, remoteAddress: e.remoteAddress, remotePort: e.remotePort,
    state, inode: 0, uid: UNKNOWN_UID, cookie: windowsCookie(e.protocol, e.localAddress, e.localPort, e.remoteAddress, e.remotePort, e.pid),
    bytesAcked: null, bytesReceived: null, source: 'procfs', pid: e.pid,
  };
}

export function applyNetworkEvents(tracker: ConnectionTracker, events: { event: NetworkEvent; time: Date }[], lookup: OwnerLookup): ConnEvent[] {
  const out: ConnEvent[] = [];
  for (const { event, time } of events) {
    const s = eventSocket(event);
    if (!s) continue;
    const c = event.kind === 'disconnect' ? tracker.closedByEvent(s, time, lookup, 'etw') : tracker.opened(s, time, lookup, 'etw');
    if (c) out.push(c);
  }
  return out;
}
