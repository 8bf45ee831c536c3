/**
 * Detection rules over the engines' results (docs/analyze.md): masquerade, watch lists, suspicious
 * paths and modules, new against a baseline, beaconing, rare. Each finding names the rule, host,
 * process, path and user, with evidence, first/last seen and a count.
 */
import { itemKey, baselineItems, type Baseline } from './baseline.js';
import { masquerade, suspiciousPath } from './catalogue.js';
import { quoted } from '../util/display.js';
import { modulesOf, num, numOrNull, processViews, remoteHosts, scopeKey, str, type ProcessView, type Results } from './results.js';
import type { WatchEntry } from './watchlist.js';
import { DEFAULT_PREVALENCE, firstInFleet, groupOf, prevalenceFindings, type HostGroup, type PrevalenceOptions } from './fleet.js';

export const SEVERITIES = ['Low', 'Medium', 'High', 'Critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const RULES = ['masquerade', 'watchlist', 'suspicious', 'baseline', 'beaconing', 'rare', 'prevalence'] as const;
export type RuleSet = (typeof RULES)[number];

export interface Finding {
  RecordType: 'Finding';
  Rule: string;
  Severity: Severity;
  HostName: string | null;
  /** The container it happened in (name, else id; rows.ts containerOf); null on the host itself. */
  Container: string | null;
  ProcessName: string | null;
  ExecutablePath: string | null;
  UserName: string | null;
  Evidence: string;
  FirstSeen: string | null;
  LastSeen: string | null;
  Count: number;
}

export interface DetectOptions {
  rules: readonly RuleSet[];
  watch: WatchEntry[];
  baseline: Baseline | null;
  /** Beaconing: at least this many connections, mean interval at least minIntervalSeconds, jitter (sd/mean) at most maxJitter. */
  beaconMinConnections: number;
  beaconMinIntervalSeconds: number;
  beaconMaxJitter: number;
  /** Rare: at most rareMaxConnections, and at most rareMaxShare of the host's connections. */
  rareMaxConnections: number;
  rareMaxShare: number;
  /** Fleet rules (fleet.ts): prevalence across hosts; host groups for baselines learned over a group. */
  prevalence: PrevalenceOptions;
  groups: HostGroup[];
}

export const DEFAULT_DETECT: Omit<DetectOptions, 'rules' | 'watch' | 'baseline'> = {
  beaconMinConnections: 8, beaconMinIntervalSeconds: 10, beaconMaxJitter: 0.1, rareMaxConnections: 3, rareMaxShare: 0.01,
  prevalence: DEFAULT_PREVALENCE, groups: [],
};

type Who = Pick<Finding, 'HostName' | 'Container' | 'ProcessName' | 'ExecutablePath' | 'UserName' | 'FirstSeen' | 'LastSeen'>;
const finding = (rule: string, sev: Severity, who: Who, evidence: string, count: number): Finding => ({
  RecordType: 'Finding', Rule: rule, Severity: sev, HostName: who.HostName, Container: who.Container, ProcessName: who.ProcessName, ExecutablePath: who.ExecutablePath,
  UserName: who.UserName, Evidence: evidence, FirstSeen: who.FirstSeen, LastSeen: who.LastSeen, Count: count,
});
/** A value in evidence, for people: in quotes as it is (terminals and views escape control characters). */
const q = (v: string | null): string => (v === null ? '(unknown)' : quoted(v, Infinity));
const who = (r: Record<string, unknown>): Who => ({
  HostName: str(r.HostName), Container: str(r.Container), ProcessName: str(r.ProcessName), ExecutablePath: str(r.ExecutablePath),
  UserName: str(r.UserName), FirstSeen: str(r.FirstSeen), LastSeen: str(r.LastSeen),
});

/** The entries that match, named once each: "x" (watch.txt:3), "y" (-WatchAddress). */
function matching(entries: WatchEntry[], value: unknown): string | null {
  const hits = entries.filter((w) => w.test(value as never)).map((w) => `${q(w.text)} (${w.origin})`);
  return hits.length === 0 ? null : `watch-list ${hits.length === 1 ? 'entry' : 'entries'} ${[...new Set(hits)].join(', ')}`;
}

function watchFindings(res: Results, views: ProcessView[], watch: WatchEntry[], out: Finding[]): void {
  const kinds = new Map<string, WatchEntry[]>();
  for (const w of watch) { const l = kinds.get(w.kind); if (l) l.push(w); else kinds.set(w.kind, [w]); }
  const byKind = (k: string) => kinds.get(k) ?? [];
  const field: Record<string, 'ProcessName' | 'ExecutablePath' | 'UserName' | 'HostName'> = { process: 'ProcessName', path: 'ExecutablePath', user: 'UserName', host: 'HostName' };
  for (const [kind, prop] of Object.entries(field)) {
    const entries = byKind(kind);
    if (entries.length) for (const v of views) {
      const m = matching(entries, v[prop]);
      if (m) out.push(finding('WatchList', 'High', v, `${kind} ${q(v[prop])} matches ${m}`, v.Events || 1));
    }
  }
  for (const r of res.get('instances') ?? []) {
    const h = matching(byKind('hash'), str(r.ExecutableSha256));
    if (h) out.push(finding('WatchList', 'High', who(r), `executable SHA-256 ${str(r.ExecutableSha256)} matches ${h}`, num(r.Rows)));
    for (const mod of new Set(modulesOf(r))) {
      const m = matching(byKind('module'), mod);
      if (m) out.push(finding('WatchList', 'High', who(r), `module ${q(mod)} matches ${m}`, num(r.Rows)));
    }
  }
  for (const r of res.get('remotes') ?? []) {
    const m = matching(byKind('address'), str(r.RemoteAddress));
    if (m) out.push(finding('WatchList', 'High', who(r), `remote address ${str(r.RemoteAddress)} matches ${m}`, num(r.Connections)));
  }
  for (const r of res.get('pairs') ?? []) {
    const m = matching(byKind('port'), numOrNull(r.ServicePort));
    if (m) out.push(finding('WatchList', 'High', who(r), `${str(r.Direction)} ${str(r.Protocol)} port ${numOrNull(r.ServicePort)} matches ${m}`, num(r.Events)));
  }
}

function baselineFindings(res: Results, views: ProcessView[], b: Baseline, groups: HostGroup[], out: Finding[]): void {
  const known = new Set(b.Items.map(itemKey));
  // A host of a group is judged against the group's items (a baseline learned with --host-group).
  const key = (i: Parameters<typeof itemKey>[0]) => itemKey(groups.length ? { ...i, HostName: groupOf(groups, i.HostName) } : i);
  const rule = { ListeningPort: ['NewListeningPort', 'Medium'], ServicePair: ['NewServicePair', 'Low'], RemoteHost: ['NewRemoteHost', 'Low'], User: ['NewUser', 'Medium'] } as const;
  for (const i of baselineItems(res, views)) {
    // New clients of a server are routine; new hosts matter when a process reaches out.
    if (known.has(key(i)) || (i.Kind === 'RemoteHost' && i.Direction === 'Inbound')) continue;
    const [name, sev] = rule[i.Kind];
    const what = i.Kind === 'ListeningPort' ? `listens on ${i.Protocol} port ${i.ServicePort}`
      : i.Kind === 'ServicePair' ? `${i.Direction} ${i.Protocol} service port ${i.ServicePort}`
        : i.Kind === 'RemoteHost' ? `talks to ${i.RemoteAddress}` : `user ${q(i.UserName)} on the network`;
    out.push(finding(name, sev, { HostName: i.HostName, Container: i.Container, ProcessName: i.ProcessName, ExecutablePath: null, UserName: i.UserName, FirstSeen: i.FirstSeen, LastSeen: i.LastSeen },
      `not in the baseline of ${b.Created}: ${what}`, i.Count));
  }
  for (const f of firstInFleet(res, b)) out.push({ RecordType: 'Finding', ...f });
}

/**
 * Rare: few connections, and a small share of the host's. With a baseline, counted over the
 * baseline and the logs together, so what the baseline saw every day is not rare on the next.
 */
function rareFindings(res: Results, views: ProcessView[], o: DetectOptions, out: Finding[]): void {
  const known = new Map<string, number>();
  const bump = (k: unknown[], n: number) => known.set(JSON.stringify(k), (known.get(JSON.stringify(k)) ?? 0) + n);
  const past = (k: unknown[]) => known.get(JSON.stringify(k)) ?? 0;
  for (const i of o.baseline?.Items ?? []) {
    if (i.Kind === 'ServicePair') { bump(['host', scopeKey(i)], i.Count); bump(['process', scopeKey(i), i.ProcessName], i.Count); }
    if (i.Kind === 'RemoteHost') bump(['remote', scopeKey(i), i.RemoteAddress], i.Count);
  }
  // A container's share is of its own connections, as a host's is of the host's.
  const totals = new Map<string, number>();
  for (const v of views) totals.set(scopeKey(v), (totals.get(scopeKey(v)) ?? 0) + v.Connections);
  const total = (scope: string) => (totals.get(scope) ?? 0) + past(['host', scope]);
  const rare = (c: number, scope: string) => c > 0 && c <= o.rareMaxConnections && c / Math.max(1, total(scope)) <= o.rareMaxShare;
  const ofHost = (r: { Container: string | null }, scope: string) =>
    `${total(scope)} connections on this ${r.Container === null ? 'host' : 'container'}${o.baseline ? ' (with the baseline\'s)' : ''}`;
  for (const v of views) {
    const c = v.Connections + past(['process', scopeKey(v), v.ProcessName]);
    if (v.ProcessName !== null && v.Connections > 0 && rare(c, scopeKey(v))) out.push(finding('RareProcess', 'Low', v, `${c} of ${ofHost(v, scopeKey(v))}`, v.Connections));
  }
  for (const t of remoteHosts(res)) {
    const c = t.Connections + past(['remote', scopeKey(t), t.RemoteAddress]);
    if (!rare(c, scopeKey(t))) continue;
    const where = { HostName: t.HostName, Container: t.Container, ProcessName: null, ExecutablePath: null, UserName: null, FirstSeen: t.FirstSeen, LastSeen: t.LastSeen };
    out.push(finding('RareRemoteHost', 'Low', where, `${t.RemoteAddress} contacted ${c} times of ${ofHost(t, scopeKey(t))} (by ${[...t.Processes].map(String).sort().join(', ')})`, t.Connections));
  }
}

export function detect(res: Results, o: DetectOptions): Finding[] {
  const out: Finding[] = [];
  const on = (r: RuleSet) => o.rules.includes(r);
  const views = processViews(res);
  if (on('masquerade')) {
    for (const v of views) {
      const m = masquerade(v.ProcessName, v.ExecutablePath);
      if (m) out.push(finding('Masquerade', 'High', v, `${q(v.ProcessName)} runs from ${q(v.ExecutablePath)}; expected in ${m.expected.join(' or ')}`, v.Events || 1));
    }
  }
  if (on('watchlist')) watchFindings(res, views, o.watch, out);
  if (on('suspicious')) {
    for (const v of views) if (suspiciousPath(v.ExecutablePath)) out.push(finding('SuspiciousPath', 'Medium', v, `runs from a temporary, download or world-writable directory: ${q(v.ExecutablePath)}`, v.Events || 1));
    for (const r of res.get('instances') ?? []) {
      // The executable itself is among its mappings; SuspiciousPath covers it.
      for (const m of new Set(modulesOf(r))) if (m !== str(r.ExecutablePath) && suspiciousPath(m)) out.push(finding('SuspiciousModule', 'Medium', who(r), `loads ${q(m)} from a temporary, download or world-writable directory`, num(r.Rows)));
    }
  }
  if (on('baseline') && o.baseline) baselineFindings(res, views, o.baseline, o.groups, out);
  if (on('beaconing')) {
    for (const r of res.get('beacons') ?? []) {
      const n = num(r.IntervalsCount) + 1;
      const mean = numOrNull(r.IntervalsMeanMs);
      const sd = numOrNull(r.IntervalsStdDevMs);
      if (n < o.beaconMinConnections || mean === null || sd === null || mean < o.beaconMinIntervalSeconds * 1000 || sd / mean > o.beaconMaxJitter) continue;
      out.push(finding('Beaconing', 'Medium', who(r), `${n} connections to ${str(r.RemoteAddress)}:${numOrNull(r.RemotePort)} every ${(mean / 1000).toFixed(1)} s (jitter ${((100 * sd) / mean).toFixed(1)}%)`, n));
    }
  }
  if (on('rare')) rareFindings(res, views, o, out);
  if (on('prevalence')) for (const f of prevalenceFindings(res, o.prevalence)) out.push({ RecordType: 'Finding', ...f });
  return out;
}

/** Exit status for --fail-on: true when a finding is at or above the severity. */
export function atOrAbove(findings: Finding[], sev: Severity): boolean {
  const min = SEVERITIES.indexOf(sev);
  return findings.some((f) => SEVERITIES.indexOf(f.Severity) >= min);
}
