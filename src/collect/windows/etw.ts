/**
 * Microsoft-Windows-Kernel-Network (ETW provider 7dd42a49-5329-4832-8dfd-43d979153a88) events as
 * socket events, for the Windows logger's short-lived connections (issue 12; the session that feeds
 * it is not wired yet). Pure: each decoder takes the event id and its UserData bytes, laid out as
 * the provider's manifest defines them: PID (UInt32), size (UInt32), daddr, saddr (4 bytes for the
 * IPv4 events, 16 for IPv6), dport, sport (UInt16, network byte order), then fields we do not need
 * (mss, window options, seqnum, connid). daddr/sport name the remote and local ends as the
 * Windows kernel writes them: daddr/dport the remote, saddr/sport the local.
 */
import type { Diagnostic } from '../../model/diagnostic.js';
import { ipv6 } from './mibtable.js';

export const KERNEL_NETWORK_PROVIDER = '7dd42a49-5329-4832-8dfd-43d979153a88';

export type NetworkEventKind = 'connect' | 'accept' | 'disconnect' | 'send' | 'receive';

/** Event ids of the provider (KERNEL_NETWORK_TASK_TCPIP / _UDPIP). */
const EVENTS: Record<number, { protocol: 'TCP' | 'UDP'; family: 'IPv4' | 'IPv6'; kind: NetworkEventKind }> = {
  10: { protocol: 'TCP', family: 'IPv4', kind: 'send' }, 11: { protocol: 'TCP', family: 'IPv4', kind: 'receive' },
  12: { protocol: 'TCP', family: 'IPv4', kind: 'connect' }, 13: { protocol: 'TCP', family: 'IPv4', kind: 'disconnect' },
  15: { protocol: 'TCP', family: 'IPv4', kind: 'accept' },
  26: { protocol: 'TCP', family: 'IPv6', kind: 'send' }, 27: { protocol: 'TCP', family: 'IPv6', kind: 'receive' },
  28: { protocol: 'TCP', family: 'IPv6', kind: 'connect' }, 29: { protocol: 'TCP', family: 'IPv6', kind: 'disconnect' },
  31: { protocol: 'TCP', family: 'IPv6', kind: 'accept' },
  42: { protocol: 'UDP', family: 'IPv4', kind: 'send' }, 43: { protocol: 'UDP', family: 'IPv4', kind: 'receive' },
  58: { protocol: 'UDP', family: 'IPv6', kind: 'send' }, 59: { protocol: 'UDP', family: 'IPv6', kind: 'receive' },
};

export interface NetworkEvent {
  kind: NetworkEventKind;
  protocol: 'TCP' | 'UDP';
  family: 'IPv4' | 'IPv6';
  pid: number;
  /** Bytes of a send or receive (the event's size field). */
  size: number;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
}

/** One event; null for an id this mapping does not take or a payload shorter than its fields. */
export function decodeKernelNetworkEvent(id: number, payload: Buffer): NetworkEvent | null {
  const e = EVENTS[id];
  if (!e) return null;
  const a = e.family === 'IPv4' ? 4 : 16;
  if (payload.length < 8 + 2 * a + 4) return null;
  const addr = (o: number) => (a === 4 ? `${payload[o]}.${payload[o + 1]}.${payload[o + 2]}.${payload[o + 3]}` : ipv6(payload, o));
  return {
    ...e, pid: payload.readUInt32LE(0), size: payload.readUInt32LE(4),
    remoteAddress: addr(8), localAddress: addr(8 + a),
    remotePort: payload.readUInt16BE(8 + 2 * a), localPort: payload.readUInt16BE(8 + 2 * a + 2),
  };
}

/**
 * Events the session lost (EVENT_TRACE_PROPERTIES EventsLost, and buffers lost, since the last
 * look) as the diagnostic the logger turns into a Gap row and a resynchronising poll, as Linux's
 * dropped destroy notifications are: never silent.
 */
export function lostEventsDiagnostic(eventsLost: number, buffersLost: number): Diagnostic | null {
  if (eventsLost <= 0 && buffersLost <= 0) return null;
  return { Level: 'warning', Code: 'PR_EVENTS_DROPPED', Message: `ETW lost ${eventsLost} events and ${buffersLost} buffers (a burst beyond the session's buffers); resynchronising with a full poll` };
}
