/** Typed views of the engines' result rows, shared by the summaries and the rules. */
import type { Value } from './expr.js';
import type { ResultRow } from './engine/types.js';

export type Results = Map<string, ResultRow[]>;

export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
export const numOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : null);
export const arr = (v: Value | Value[] | undefined): Value[] => (Array.isArray(v) ? v : []);

export const minTime = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a < b ? a : b);
export const maxTime = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a > b ? a : b);

/** One process as the analyses see it: host (and container), name, path and user, with its activity. */
export interface ProcessView {
  HostName: string | null;
  Container: string | null;
  ProcessName: string | null;
  ExecutablePath: string | null;
  UserName: string | null;
  Events: number;
  Connections: number;
  FirstSeen: string | null;
  LastSeen: string | null;
}

/** Processes seen on the network (ev) or in process logs (pr), merged by host, name, path and user. */
export function processViews(res: Results): ProcessView[] {
  const m = new Map<string, ProcessView>();
  const add = (r: ResultRow, events: number, conns: number) => {
    const v: ProcessView = { HostName: str(r.HostName), Container: str(r.Container), ProcessName: str(r.ProcessName), ExecutablePath: str(r.ExecutablePath), UserName: str(r.UserName),
      Events: events, Connections: conns, FirstSeen: str(r.FirstSeen), LastSeen: str(r.LastSeen) };
    if (v.ProcessName === null && v.ExecutablePath === null) return;
    const key = JSON.stringify([v.HostName, v.Container, v.ProcessName, v.ExecutablePath, v.UserName]);
    const o = m.get(key);
    if (!o) { m.set(key, v); return; }
    o.Events += v.Events;
    o.Connections += v.Connections;
    o.FirstSeen = minTime(o.FirstSeen, v.FirstSeen);
    o.LastSeen = maxTime(o.LastSeen, v.LastSeen);
  };
  for (const r of res.get('processes') ?? []) add(r, num(r.Events), num(r.Connections));
  for (const r of res.get('instances') ?? []) add(r, 0, 0);
  // A process block that names no user (Port Reporter's PR-PIDS often does not) is the same process
  // as the one user its connections name: one view, not two.
  const views = [...m.values()];
  const who = (v: ProcessView) => JSON.stringify([v.HostName, v.Container, v.ProcessName, v.ExecutablePath]);
  // The one view with a user for each process, or null when several users ran it.
  const named = new Map<string, ProcessView | null>();
  for (const v of views) if (v.UserName !== null) named.set(who(v), named.has(who(v)) ? null : v);
  return views.filter((v) => {
    const o = v.UserName === null ? named.get(who(v)) : undefined;
    if (!o) return true;
    o.Events += v.Events;
    o.Connections += v.Connections;
    o.FirstSeen = minTime(o.FirstSeen, v.FirstSeen);
    o.LastSeen = maxTime(o.LastSeen, v.LastSeen);
    return false;
  });
}

/** One remote host of a host (or container): the `remotes` rows of all its processes and directions, rolled up. */
export interface RemoteHostView {
  HostName: string | null;
  Container: string | null;
  RemoteAddress: string | null;
  Connections: number;
  Processes: Set<string | null>;
  ServicePorts: Set<Value>;
  FirstSeen: string | null;
  LastSeen: string | null;
}

/** Remote hosts by host, container and address, in the order of the (sorted) `remotes` rows. */
export function remoteHosts(res: Results): RemoteHostView[] {
  const m = new Map<string, RemoteHostView>();
  for (const r of res.get('remotes') ?? []) {
    const key = JSON.stringify([r.HostName, r.Container, r.RemoteAddress]);
    let t = m.get(key);
    if (!t) {
      t = { HostName: str(r.HostName), Container: str(r.Container), RemoteAddress: str(r.RemoteAddress), Connections: 0, Processes: new Set(), ServicePorts: new Set(), FirstSeen: null, LastSeen: null };
      m.set(key, t);
    }
    t.Connections += num(r.Connections);
    t.Processes.add(str(r.ProcessName));
    for (const p of arr(r.ServicePorts)) t.ServicePorts.add(p);
    t.FirstSeen = minTime(t.FirstSeen, str(r.FirstSeen));
    t.LastSeen = maxTime(t.LastSeen, str(r.LastSeen));
  }
  return [...m.values()];
}

/** Modules of a process instance row (a JSON array in the logs). */
export function modulesOf(r: ResultRow): string[] {
  const t = str(r.Modules);
  if (t === null) return [];
  try {
    const v = JSON.parse(t) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch { return []; }
}

/** A host and container as one key (a container is judged like a host of its own). */
export const scopeKey = (r: { HostName?: unknown; Container?: unknown }): string => JSON.stringify([r.HostName ?? null, r.Container ?? null]);
