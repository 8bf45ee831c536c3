/**
 * What only a fleet shows (docs/analyze.md, "Fleet rules"), over the same results as every other
 * rule: prevalence, how many of the fleet's hosts have a thing, so an executable, a binary's hash,
 * a module, a listener or a remote host that only one or two hosts have stands out; and, with a
 * baseline, a remote host no host of the fleet ever contacted before. Host groups map host names
 * to a group (web=web*), so a baseline learned from every web server judges each of them.
 */
import { quoted } from '../util/display.js';
import { wildcard, type NamePattern } from '../util/wildcard.js';
import { mergeItems, type Baseline, type BaselineItem } from './baseline.js';
import type { Finding } from './rules.js';
import { minTime, maxTime, modulesOf, num, numOrNull, str, type Results } from './results.js';

export interface HostGroup { name: string; pattern: NamePattern }

/** name=pattern[,pattern...] */
export function parseHostGroup(text: string): HostGroup[] {
  const eq = text.indexOf('=');
  const name = eq > 0 ? text.slice(0, eq).trim() : '';
  if (!name || eq === text.length - 1) throw new Error(`${quoted(text)} is not a host group (name=pattern, e.g. web=web*)`);
  return text.slice(eq + 1).split(',').filter((p) => p.trim() !== '').map((p) => ({ name, pattern: wildcard(p.trim()) }));
}

/** The group a host is in (the first that matches), or the host itself. */
export function groupOf(groups: readonly HostGroup[], host: string | null): string | null {
  if (host === null) return null;
  for (const g of groups) if (g.pattern.test(host)) return g.name;
  return host;
}

/** A finding of these rules: a Finding (rules.ts) before its RecordType is added. */
export type FleetFinding = Omit<Finding, 'RecordType'>;

interface Seen { hosts: Set<string>; where: Map<string, Omit<FleetFinding, 'Rule' | 'Severity' | 'Evidence'>> }

function tally(m: Map<string, Seen>, key: string, host: string | null, at: Omit<FleetFinding, 'Rule' | 'Severity' | 'Evidence'>): void {
  if (host === null) return;
  let s = m.get(key);
  if (!s) { s = { hosts: new Set(), where: new Map() }; m.set(key, s); }
  s.hosts.add(host);
  const o = s.where.get(host);
  if (!o) { s.where.set(host, { ...at }); return; }
  o.Count += at.Count;
  o.FirstSeen = minTime(o.FirstSeen, at.FirstSeen);
  o.LastSeen = maxTime(o.LastSeen, at.LastSeen);
}

const at = (r: Record<string, unknown>, count: number, proc = true) => ({
  HostName: str(r.HostName), Container: str(r.Container), ProcessName: proc ? str(r.ProcessName) : null, ExecutablePath: proc ? str(r.ExecutablePath) : null,
  UserName: proc ? str(r.UserName) : null, FirstSeen: str(r.FirstSeen), LastSeen: str(r.LastSeen), Count: count,
});

export interface PrevalenceOptions {
  /** Flag what at most this many hosts have... */
  maxHosts: number;
  /** ...in a fleet of at least this many hosts (a smaller set of logs has no fleet to compare with). */
  minFleet: number;
}

export const DEFAULT_PREVALENCE: PrevalenceOptions = { maxHosts: 1, minFleet: 5 };

/** Prevalence findings: one per rare thing and host that has it. */
export function prevalenceFindings(res: Results, o: PrevalenceOptions): FleetFinding[] {
  const fleet = new Set((res.get('hosts') ?? []).map((r) => str(r.HostName)).filter((h): h is string => h !== null));
  if (fleet.size < o.minFleet) return [];
  const exes = new Map<string, Seen>();
  const hashes = new Map<string, Seen>();
  const modules = new Map<string, Seen>();
  const listeners = new Map<string, Seen>();
  const remotes = new Map<string, Seen>();
  for (const r of res.get('processes') ?? []) {
    const exe = str(r.ExecutablePath) ?? str(r.ProcessName);
    if (exe !== null) tally(exes, exe, str(r.HostName), at(r, num(r.Events)));
  }
  for (const r of res.get('instances') ?? []) {
    const exe = str(r.ExecutablePath) ?? str(r.ProcessName);
    if (exe !== null) tally(exes, exe, str(r.HostName), at(r, num(r.Rows)));
    const h = str(r.ExecutableSha256);
    if (h !== null && exe !== null) tally(hashes, JSON.stringify([exe, h]), str(r.HostName), at(r, num(r.Rows)));
    for (const m of new Set(modulesOf(r))) if (m !== str(r.ExecutablePath)) tally(modules, m, str(r.HostName), at(r, num(r.Rows)));
  }
  for (const r of res.get('pairs') ?? []) {
    if (str(r.Direction) !== 'Listen') continue;
    tally(listeners, JSON.stringify([str(r.ProcessName), str(r.Protocol), numOrNull(r.ServicePort)]), str(r.HostName), at(r, num(r.Events)));
  }
  // Outbound contacts only: the clients a server sees differ from server to server.
  for (const r of res.get('remotes') ?? []) {
    if (str(r.Direction) !== 'Outbound') continue;
    tally(remotes, str(r.RemoteAddress) ?? '', str(r.HostName), at(r, num(r.Connections)));
  }
  const out: FleetFinding[] = [];
  const of = (s: Seen) => `${s.hosts.size} of the fleet's ${fleet.size} hosts (${[...s.hosts].sort().map((h) => quoted(h)).join(', ')})`;
  const emit = (m: Map<string, Seen>, rule: string, sev: FleetFinding['Severity'], what: (k: string) => string | null) => {
    for (const [k, s] of m) {
      if (s.hosts.size > o.maxHosts) continue;
      const w = what(k);
      if (w === null) continue;
      for (const f of s.where.values()) out.push({ Rule: rule, Severity: sev, ...f, Evidence: `${w} is on ${of(s)}` });
    }
  };
  emit(exes, 'FleetRareExecutable', 'Medium', (k) => `executable ${quoted(k)}`);
  // A hash is rare only where its executable is common: a binary replaced on a few hosts.
  emit(hashes, 'FleetRareHash', 'High', (k) => {
    const [exe, h] = JSON.parse(k) as [string, string];
    return (exes.get(exe)?.hosts.size ?? 0) > o.maxHosts ? `${quoted(exe)} with SHA-256 ${h}` : null;
  });
  emit(modules, 'FleetRareModule', 'Medium', (k) => `module ${quoted(k)}`);
  emit(listeners, 'FleetRareListener', 'Medium', (k) => {
    const [p, proto, port] = JSON.parse(k) as [string | null, string | null, number | null];
    return `${p === null ? 'an unknown process' : quoted(p)} listening on ${proto} port ${port}`;
  });
  emit(remotes, 'FleetRareRemoteHost', 'Low', (k) => `outbound contact with ${k}`);
  return out;
}

/** With a baseline: remote hosts that no host of the baseline ever reached out to, once each (the hosts that did now named). */
export function firstInFleet(res: Results, b: Baseline): FleetFinding[] {
  // A baseline of one host has no fleet: its new remote hosts are NewRemoteHost findings already.
  if (new Set(b.Items.map((i) => i.HostName)).size < 2) return [];
  const known = new Set(b.Items.filter((i) => i.Kind === 'RemoteHost' && i.Direction !== 'Inbound').map((i) => i.RemoteAddress));
  const fresh = new Map<string, Seen>();
  for (const r of res.get('remotes') ?? []) {
    const a = str(r.RemoteAddress);
    if (str(r.Direction) !== 'Outbound' || a === null || known.has(a)) continue;
    tally(fresh, a, str(r.HostName), at(r, num(r.Connections)));
  }
  const out: FleetFinding[] = [];
  for (const [a, s] of fresh) {
    const hosts = [...s.where.values()];
    const first = hosts.reduce<string | null>((m, h) => minTime(m, h.FirstSeen), null);
    const last = hosts.reduce<string | null>((m, h) => maxTime(m, h.LastSeen), null);
    const count = hosts.reduce((n, h) => n + h.Count, 0);
    out.push({ Rule: 'FirstSeenInFleet', Severity: 'Medium', HostName: [...s.hosts].sort()[0], Container: null, ProcessName: null, ExecutablePath: null, UserName: null,
      Evidence: `${a} was never contacted by any host of the baseline of ${b.Created}; now by ${[...s.hosts].sort().map((h) => quoted(h)).join(', ')}`, FirstSeen: first, LastSeen: last, Count: count });
  }
  return out;
}

/** Baseline items learned over host groups: each host's items under its group's name, merged. */
export function groupedItems(items: BaselineItem[], groups: readonly HostGroup[]): BaselineItem[] {
  return groups.length ? mergeItems(items.map((i) => ({ ...i, HostName: groupOf(groups, i.HostName) }))) : items;
}
