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
  /** Container ids (Linux, also the 12-character short id), or their pod uid; * and ? wildcards. The host's sockets match none. */
  container?: string[];
  /** Network namespaces (Linux): "net:[4026532281]" or its number; * and ? wildcards. */
  netns?: string[];
}

export class Filter {
  private addrs: AddressPattern[] | null;
  private names: NamePattern[] | null;
  private containers: NamePattern[] | null;
  private netns: NamePattern[] | null;

  constructor(readonly spec: FilterSpec) {
    this.addrs = spec.remoteAddress?.length ? spec.remoteAddress.map(parseAddressPattern) : null;
    this.names = spec.processName?.length ? spec.processName.map(wildcard) : null;
    this.containers = spec.container?.length ? spec.container.map(wildcard) : null;
    this.netns = spec.netns?.length ? spec.netns.map(wildcard) : null;
  }

  /** True when a process-level filter (name, pid) is set. */
  get needsProcess(): boolean {
    return this.names !== null || this.containers !== null || this.netns !== null || !!this.spec.pid?.length;
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

  process(r: Pick<ConnectionRecord, 'ProcessId' | 'ProcessName' | 'ExecutablePath'> & { Linux?: Pick<NonNullable<ConnectionRecord['Linux']>, 'ContainerId' | 'PodUid' | 'NetNamespace'> & { ContainerName?: string | null } }): boolean {
    if (this.spec.pid?.length && (r.ProcessId === null || !this.spec.pid.includes(r.ProcessId))) return false;
    if (this.names && !processMatches(this.names, r.ProcessName, r.ExecutablePath)) return false;
    if (this.containers) {
      const l = r.Linux;
      // A short id (docker ps shows 12 characters) matches as a prefix, as docker's own commands take it.
      // Or by its name, as the runtime shows it (docker ps's NAMES; namespace/pod/container on Kubernetes).
      if (!l?.ContainerId || !this.containers.some((p) => p.test(l.ContainerId!) || p.test(l.ContainerId!.slice(0, 12)) || (l.PodUid !== null && p.test(l.PodUid))
        || (l.ContainerName != null && p.test(l.ContainerName)))) return false;
    }
    if (this.netns) {
      const ns = r.Linux?.NetNamespace;
      const n = ns ? /^net:\[(\d+)\]$/.exec(ns)?.[1] : undefined;
      if (!ns || !this.netns.some((p) => p.test(ns) || (n !== undefined && p.test(n)))) return false;
    }
    return true;
  }
}
