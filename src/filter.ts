/** Snapshot filters, applied before output (socket-level ones before process attribution). */
import type { ConnectionRecord, Protocol, RawSocket, SocketState } from './model/record.js';
import { parseAddressPattern, type AddressPattern } from './util/ip.js';
import { processMatches, wildcard, type NamePattern } from './util/wildcard.js';

export interface FilterSpec {
  protocol?: Protocol[];
  state?: SocketState[];
  localPort?: number[];
  remotePort?: number[];
  remoteAddress?: string[];
  /** Process names; * and ? wildcards; case-insensitive. */
  processName?: string[];
  pid?: number[];
}

export class Filter {
  private addrs: AddressPattern[] | null;
  private names: NamePattern[] | null;

  constructor(readonly spec: FilterSpec) {
    this.addrs = spec.remoteAddress?.length ? spec.remoteAddress.map(parseAddressPattern) : null;
    this.names = spec.processName?.length ? spec.processName.map(wildcard) : null;
  }

  /** True when a process-level filter (name, pid) is set. */
  get needsProcess(): boolean {
    return this.names !== null || !!this.spec.pid?.length;
  }

  /** True when a socket-level filter is set (few sockets wanted: scan owners only for those). */
  get narrowsSockets(): boolean {
    const f = this.spec;
    return !!(f.state?.length || f.localPort?.length || f.remotePort?.length || this.addrs);
  }

  socket(s: Pick<RawSocket, 'protocol' | 'state' | 'localPort' | 'remotePort' | 'remoteAddress'>): boolean {
    const f = this.spec;
    if (f.protocol?.length && !f.protocol.includes(s.protocol)) return false;
    if (f.state?.length && !f.state.includes(s.state)) return false;
    if (f.localPort?.length && !f.localPort.includes(s.localPort)) return false;
    if (f.remotePort?.length && !f.remotePort.includes(s.remotePort)) return false;
    if (this.addrs && !this.addrs.some((a) => a.matches(s.remoteAddress))) return false;
    return true;
  }

  process(r: Pick<ConnectionRecord, 'ProcessId' | 'ProcessName' | 'ExecutablePath'>): boolean {
    if (this.spec.pid?.length && (r.ProcessId === null || !this.spec.pid.includes(r.ProcessId))) return false;
    if (this.names && !processMatches(this.names, r.ProcessName, r.ExecutablePath)) return false;
    return true;
  }
}
