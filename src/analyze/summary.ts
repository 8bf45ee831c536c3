/**
 * The Parser's reports over the engines' results: ports, processes, remote hosts, users, hours,
 * services and modules. Each is a list of records tagged with its RecordType (docs/analyze.md).
 */
import { round3, sortSet } from './engine/types.js';
import type { Value } from './expr.js';
import { suspiciousPath } from './catalogue.js';
import { arr, maxTime, minTime, modulesOf, num, numOrNull, remoteHosts, scopeKey, str, type Results } from './results.js';

export const REPORTS = ['port', 'process', 'remote', 'user', 'hour', 'service', 'module'] as const;

/** The queries (queries.ts) each report reads: a summary of some reports runs only theirs. */
const REPORT_QUERIES: Record<ReportKind, string[]> = {
  port: ['hosts', 'ports'], process: ['hosts', 'processes'], remote: ['remotes'], user: ['processes'],
  hour: ['hours'], service: ['instances'], module: ['instances'],
};
export const queriesFor = (kinds: readonly ReportKind[]): string[] => [...new Set(kinds.flatMap((k) => REPORT_QUERIES[k]))];
export type ReportKind = (typeof REPORTS)[number];

export type SummaryRecord = { RecordType: string } & Record<string, Value | Value[] | boolean>;

function hostHours(res: Results): Map<string, number> {
  return new Map((res.get('hosts') ?? []).map((r) => [scopeKey(r), num(r.ActiveHours)]));
}

const share = (hours: number, total: number | undefined) => (total ? round3(hours / total) : null);

function rollUp<T extends { FirstSeen: string | null; LastSeen: string | null }>(
  m: Map<string, T>, key: string, make: () => T, merge: (t: T) => void, first: string | null, last: string | null,
): void {
  let t = m.get(key);
  if (!t) { t = make(); m.set(key, t); }
  merge(t);
  t.FirstSeen = minTime(t.FirstSeen, first);
  t.LastSeen = maxTime(t.LastSeen, last);
}

export function buildSummary(res: Results, kinds: readonly ReportKind[]): SummaryRecord[] {
  const out: SummaryRecord[] = [];
  const hours = hostHours(res);
  if (kinds.includes('port')) {
    for (const r of res.get('ports') ?? []) {
      out.push({ RecordType: 'PortSummary', HostName: str(r.HostName), Container: str(r.Container), Protocol: str(r.Protocol), LocalPort: numOrNull(r.LocalPort),
        Events: num(r.Events), Connections: num(r.Connections), ActiveHours: num(r.ActiveHours), ShareOfTime: share(num(r.ActiveHours), hours.get(scopeKey(r))),
        Processes: arr(r.Processes), FirstSeen: str(r.FirstSeen), LastSeen: str(r.LastSeen) });
    }
  }
  if (kinds.includes('process')) {
    for (const r of res.get('processes') ?? []) {
      out.push({ RecordType: 'ProcessSummary', HostName: str(r.HostName), Container: str(r.Container), ProcessName: str(r.ProcessName), ExecutablePath: str(r.ExecutablePath),
        UserName: str(r.UserName), Events: num(r.Events), Connections: num(r.Connections), ActiveHours: num(r.ActiveHours),
        ShareOfTime: share(num(r.ActiveHours), hours.get(scopeKey(r))), RemoteHosts: num(r.RemoteHosts), FirstSeen: str(r.FirstSeen), LastSeen: str(r.LastSeen) });
    }
  }
  if (kinds.includes('remote')) {
    for (const t of remoteHosts(res)) {
      out.push({ RecordType: 'RemoteHostSummary', HostName: t.HostName, Container: t.Container, RemoteAddress: t.RemoteAddress, Connections: t.Connections,
        Processes: sortSet([...t.Processes]), ServicePorts: sortSet([...t.ServicePorts]), FirstSeen: t.FirstSeen, LastSeen: t.LastSeen });
    }
  }
  if (kinds.includes('user')) {
    type User = { HostName: string | null; Container: string | null; UserName: string | null; Processes: Set<Value>; Events: number; Connections: number; FirstSeen: string | null; LastSeen: string | null };
    const m = new Map<string, User>();
    for (const r of res.get('processes') ?? []) {
      if (r.ProcessName === null && r.UserName === null) continue;
      rollUp(m, JSON.stringify([r.HostName, r.Container, r.UserName]),
        () => ({ HostName: str(r.HostName), Container: str(r.Container), UserName: str(r.UserName), Processes: new Set<Value>(), Events: 0, Connections: 0, FirstSeen: null, LastSeen: null }),
        (t) => { t.Processes.add(str(r.ProcessName)); t.Events += num(r.Events); t.Connections += num(r.Connections); },
        str(r.FirstSeen), str(r.LastSeen));
    }
    for (const t of m.values()) {
      out.push({ RecordType: 'UserSummary', HostName: t.HostName, Container: t.Container, UserName: t.UserName, Processes: sortSet([...t.Processes]),
        Events: t.Events, Connections: t.Connections, FirstSeen: t.FirstSeen, LastSeen: t.LastSeen });
    }
  }
  if (kinds.includes('hour')) {
    for (const r of res.get('hours') ?? []) {
      out.push({ RecordType: 'HourSummary', HostName: str(r.HostName), Container: str(r.Container), Protocol: str(r.Protocol), Direction: str(r.Direction),
        ServicePort: numOrNull(r.ServicePort), Hour: numOrNull(r.Hour), Connections: num(r.Connections) });
    }
  }
  if (kinds.includes('service')) {
    for (const r of res.get('instances') ?? []) {
      const svc = str(r.ServiceName);
      if (svc === null) continue;
      out.push({ RecordType: 'ServiceSummary', HostName: str(r.HostName), Container: str(r.Container), ProcessName: str(r.ProcessName), ProcessId: numOrNull(r.ProcessId),
        ProcessStartTime: str(r.ProcessStartTime), ExecutablePath: str(r.ExecutablePath), UserName: str(r.UserName),
        Services: sortSet([...new Set(svc.split(/,\s*/).filter((s) => s !== ''))]), FirstSeen: str(r.FirstSeen) });
    }
  }
  if (kinds.includes('module')) {
    type Mod = { HostName: string | null; Container: string | null; Module: string; Processes: Set<Value>; Instances: number; FirstSeen: string | null; LastSeen: string | null };
    const m = new Map<string, Mod>();
    for (const r of res.get('instances') ?? []) {
      for (const mod of new Set(modulesOf(r))) {
        rollUp(m, JSON.stringify([r.HostName, r.Container, mod]),
          () => ({ HostName: str(r.HostName), Container: str(r.Container), Module: mod, Processes: new Set<Value>(), Instances: 0, FirstSeen: null, LastSeen: null }),
          (t) => { t.Processes.add(str(r.ProcessName)); t.Instances++; }, str(r.FirstSeen), str(r.LastSeen));
      }
    }
    for (const t of [...m.values()].sort((a, b) => (a.HostName ?? '').localeCompare(b.HostName ?? '') || (a.Container ?? '').localeCompare(b.Container ?? '') || (a.Module < b.Module ? -1 : a.Module > b.Module ? 1 : 0))) {
      out.push({ RecordType: 'ModuleSummary', HostName: t.HostName, Container: t.Container, Module: t.Module, Processes: sortSet([...t.Processes]), Instances: t.Instances,
        Suspicious: suspiciousPath(t.Module), FirstSeen: t.FirstSeen, LastSeen: t.LastSeen });
    }
  }
  return out;
}
