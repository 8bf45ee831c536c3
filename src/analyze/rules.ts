/**
 * Detection rules over the engines' results (docs/analyze.md): masquerade, watch lists, suspicious
 * paths and modules, new against a baseline, beaconing, rare. Each finding names the rule, host,
 * process, path and user, with evidence, first/last seen and a count.
 */
import { itemKey, baselineItems, type Baseline } from './baseline.js';
import { masquerade, suspiciousPath } from './catalogue.js';
import { modulesOf, num, numOrNull, processViews, remoteHosts, str, type ProcessView, type Results } from './results.js';
import type { WatchEntry } from './watchlist.js';

export const SEVERITIES = ['Low', 'Medium', 'High', 'Critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const RULES = ['masquerade', 'watchlist', 'suspicious', 'baseline', 'beaconing', 'rare'] as const;
export type RuleSet = (typeof RULES)[number];

export interface Finding {
  RecordType: 'Finding';
  Rule: string;
  Severity: Severity;
  HostName: string | null;
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
}

export const DEFAULT_DETECT: Omit<DetectOptions, 'rules' | 'watch' | 'baseline'> = {
  beaconMinConnections: 8, beaconMinIntervalSeconds: 10, beaconMaxJitter: 0.1, rareMaxConnections: 3, rareMaxShare: 0.01,
};

type Who = Pick<Finding, 'HostName' | 'ProcessName' | 'ExecutablePath' | 'UserName' | 'FirstSeen' | 'LastSeen'>;
const finding = (rule: string, sev: Severity, who: Who, evidence: string, count: number): Finding => ({
  RecordType: 'Finding', Rule: rule, Severity: sev, HostName: who.HostName, ProcessName: who.ProcessName, ExecutablePath: who.ExecutablePath,
  UserName: who.UserName, Evidence: evidence, FirstSeen: who.FirstSeen, LastSeen: who.LastSeen, Count: count,
});
const who = (r: Record<string, unknown>): Who => ({
  HostName: str(r.HostName), ProcessName: str(r.ProcessName), ExecutablePath: str(r.ExecutablePath),
  UserName: str(r.UserName), FirstSeen: str(r.FirstSeen), LastSeen: str(r.LastSeen),
});

function watchFindings(res: Results, views: ProcessView[], watch: WatchEntry[], out: Finding[]): void {
  const byKind = (k: string) => watch.filter((w) => w.kind === k);
  const field: Record<string, 'ProcessName' | 'ExecutablePath' | 'UserName' | 'HostName'> = { process: 'ProcessName', path: 'ExecutablePath', user: 'UserName', host: 'HostName' };
  for (const [kind, prop] of Object.entries(field)) {
    for (const w of byKind(kind)) {
      for (const v of views) if (w.test(v[prop])) out.push(finding('WatchList', 'High', v, `${kind} ${JSON.stringify(v[prop])} matches watch-list entry "${w.text}" (${w.origin})`, v.Events || 1));
    }
  }
  for (const r of res.get('instances') ?? []) {
    for (const w of byKind('hash')) if (w.test(str(r.ExecutableSha256))) out.push(finding('WatchList', 'High', who(r), `executable SHA-256 ${str(r.ExecutableSha256)} matches watch-list entry (${w.origin})`, num(r.Rows)));
    const mods = modulesOf(r);
    for (const w of byKind('module')) for (const m of mods) if (w.test(m)) out.push(finding('WatchList', 'High', who(r), `module ${JSON.stringify(m)} matches watch-list entry "${w.text}" (${w.origin})`, num(r.Rows)));
  }
  for (const r of res.get('remotes') ?? []) {
    for (const w of byKind('address')) if (w.test(str(r.RemoteAddress))) out.push(finding('WatchList', 'High', who(r), `remote address ${str(r.RemoteAddress)} matches watch-list entry "${w.text}" (${w.origin})`, num(r.Connections)));
  }
  for (const r of res.get('pairs') ?? []) {
    for (const w of byKind('port')) if (w.test(numOrNull(r.ServicePort))) out.push(finding('WatchList', 'High', who(r), `${str(r.Direction)} ${str(r.Protocol)} port ${numOrNull(r.ServicePort)} matches watch-list entry (${w.origin})`, num(r.Events)));
  }
}

function baselineFindings(res: Results, views: ProcessView[], b: Baseline, out: Finding[]): void {
  const known = new Set(b.Items.map(itemKey));
  const rule = { ListeningPort: ['NewListeningPort', 'Medium'], ServicePair: ['NewServicePair', 'Low'], RemoteHost: ['NewRemoteHost', 'Low'], User: ['NewUser', 'Medium'] } as const;
  for (const i of baselineItems(res, views)) {
    if (known.has(itemKey(i))) continue;
    const [name, sev] = rule[i.Kind];
    const what = i.Kind === 'ListeningPort' ? `listens on ${i.Protocol} port ${i.ServicePort}`
      : i.Kind === 'ServicePair' ? `${i.Direction} ${i.Protocol} service port ${i.ServicePort}`
        : i.Kind === 'RemoteHost' ? `talks to ${i.RemoteAddress}` : `user ${JSON.stringify(i.UserName)} on the network`;
    out.push(finding(name, sev, { HostName: i.HostName, ProcessName: i.ProcessName, ExecutablePath: null, UserName: i.UserName, FirstSeen: i.FirstSeen, LastSeen: i.LastSeen },
      `not in the baseline of ${b.Created}: ${what}`, i.Count));
  }
}

export function detect(res: Results, o: DetectOptions): Finding[] {
  const out: Finding[] = [];
  const on = (r: RuleSet) => o.rules.includes(r);
  const views = processViews(res);
  if (on('masquerade')) {
    for (const v of views) {
      const m = masquerade(v.ProcessName, v.ExecutablePath);
      if (m) out.push(finding('Masquerade', 'High', v, `${JSON.stringify(v.ProcessName)} runs from ${JSON.stringify(v.ExecutablePath)}; expected in ${m.expected.join(' or ')}`, v.Events || 1));
    }
  }
  if (on('watchlist')) watchFindings(res, views, o.watch, out);
  if (on('suspicious')) {
    for (const v of views) if (suspiciousPath(v.ExecutablePath)) out.push(finding('SuspiciousPath', 'Medium', v, `runs from a temporary, download or world-writable directory: ${JSON.stringify(v.ExecutablePath)}`, v.Events || 1));
    for (const r of res.get('instances') ?? []) {
      // The executable itself is among its mappings; SuspiciousPath covers it.
      for (const m of new Set(modulesOf(r))) if (m !== str(r.ExecutablePath) && suspiciousPath(m)) out.push(finding('SuspiciousModule', 'Medium', who(r), `loads ${JSON.stringify(m)} from a temporary, download or world-writable directory`, num(r.Rows)));
    }
  }
  if (on('baseline') && o.baseline) baselineFindings(res, views, o.baseline, out);
  if (on('beaconing')) {
    for (const r of res.get('beacons') ?? []) {
      const n = num(r.IntervalsCount) + 1;
      const mean = numOrNull(r.IntervalsMeanMs);
      const sd = numOrNull(r.IntervalsStdDevMs);
      if (n < o.beaconMinConnections || mean === null || sd === null || mean < o.beaconMinIntervalSeconds * 1000 || sd / mean > o.beaconMaxJitter) continue;
      out.push(finding('Beaconing', 'Medium', who(r), `${n} connections to ${str(r.RemoteAddress)}:${numOrNull(r.RemotePort)} every ${(mean / 1000).toFixed(1)} s (jitter ${((100 * sd) / mean).toFixed(1)}%)`, n));
    }
  }
  if (on('rare')) {
    const totals = new Map<string | null, number>();
    for (const v of views) totals.set(v.HostName, (totals.get(v.HostName) ?? 0) + v.Connections);
    const rare = (c: number, host: string | null) => c > 0 && c <= o.rareMaxConnections && c / (totals.get(host) ?? 1) <= o.rareMaxShare;
    for (const v of views) if (v.ProcessName !== null && rare(v.Connections, v.HostName)) out.push(finding('RareProcess', 'Low', v, `${v.Connections} of ${totals.get(v.HostName)} connections on this host`, v.Connections));
    for (const t of remoteHosts(res)) {
      if (!rare(t.Connections, t.HostName)) continue;
      const where = { HostName: t.HostName, ProcessName: null, ExecutablePath: null, UserName: null, FirstSeen: t.FirstSeen, LastSeen: t.LastSeen };
      out.push(finding('RareRemoteHost', 'Low', where, `${t.RemoteAddress} contacted ${t.Connections} times (by ${[...t.Processes].map(String).sort().join(', ')})`, t.Connections));
    }
  }
  return out;
}

/** Exit status for --fail-on: true when a finding is at or above the severity. */
export function atOrAbove(findings: Finding[], sev: Severity): boolean {
  const min = SEVERITIES.indexOf(sev);
  return findings.some((f) => SEVERITIES.indexOf(f.Severity) >= min);
}
