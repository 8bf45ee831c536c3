/** Import filters, applied in the sidecar before a record is written out. */
import { parseAddressPattern, type AddressPattern } from '../util/ip.js';
import { processMatches, wildcard, type NamePattern } from '../util/wildcard.js';
import { isoToMs } from '../util/time.js';
import type { ImportedRecord } from './records.js';

export interface ImportFilterSpec {
  processName?: string[];
  protocol?: string[];
  localPort?: number[];
  remotePort?: number[];
  remoteAddress?: string[];
  userName?: string[];
  /** ISO-8601; times without an offset (Port Reporter 1.x local times) compare as if UTC. */
  after?: string;
  before?: string;
}

const ms = (t: string) => isoToMs(t) ?? NaN;

export class ImportFilter {
  private names: NamePattern[] | null;
  private users: NamePattern[] | null;
  private addrs: AddressPattern[] | null;
  private after: number | null;
  private before: number | null;
  /** Whether a connection-only filter (protocol, ports, address) is given. */
  private connOnly: boolean;

  constructor(private spec: ImportFilterSpec) {
    this.names = spec.processName?.length ? spec.processName.map(wildcard) : null;
    this.users = spec.userName?.length ? spec.userName.map(wildcard) : null;
    this.addrs = spec.remoteAddress?.length ? spec.remoteAddress.map(parseAddressPattern) : null;
    this.after = spec.after ? ms(spec.after) : null;
    this.before = spec.before ? ms(spec.before) : null;
    this.connOnly = !!(spec.protocol?.length || spec.localPort?.length || spec.remotePort?.length || this.addrs);
  }

  /** Whether every record matches (no filter given). */
  get empty(): boolean {
    return !this.names && !this.users && this.after === null && this.before === null && !this.connOnly;
  }

  /** Connection-only filters (protocol, ports, address) never match a process record. */
  matches(r: ImportedRecord): boolean {
    const s = this.spec;
    if (this.names && !processMatches(this.names, r.ProcessName, r.ExecutablePath)) return false;
    if (this.users && (r.UserName === null || !this.users.some((n) => n.test(r.UserName!)))) return false;
    if (this.after !== null || this.before !== null) {
      if (r.Time === null) return false;
      const t = ms(r.Time);
      if (this.after !== null && t < this.after) return false;
      if (this.before !== null && t >= this.before) return false;
    }
    if (!this.connOnly) return true;
    if (r.RecordType !== 'LogRecord') return false;
    if (s.protocol?.length && (r.Protocol === null || !s.protocol.includes(r.Protocol))) return false;
    if (s.localPort?.length && (r.LocalPort === null || !s.localPort.includes(r.LocalPort))) return false;
    if (s.remotePort?.length && (r.RemotePort === null || !s.remotePort.includes(r.RemotePort))) return false;
    if (this.addrs && (r.RemoteAddress === null || !this.addrs.some((a) => a.matches(r.RemoteAddress!)))) return false;
    return true;
  }
}
