/**
 * Baselines: the routine behaviour of hosts, learned from a time range of logs, kept in a JSON
 * file. Items are keyed on the service port (the remote port of outbound connections, the local
 * port of listeners and inbound ones), never on ephemeral ports.
 */
import { existsNoFollow, readRegularFile, writeFileAtomic } from '../util/files.js';
import { quoted } from '../util/display.js';
import { isoToMs, isValidIsoTime } from '../util/time.js';
import { maxTime, minTime, num, numOrNull, processViews, str, type ProcessView, type Results } from './results.js';

export const BASELINE_FORMAT = 'PortReport.Baseline';
export const BASELINE_VERSION = 1;

export interface BaselineItem {
  Kind: 'ListeningPort' | 'ServicePair' | 'RemoteHost' | 'User';
  HostName: string | null;
  /** The container (name, else id); null on the host itself, and in baselines written before containers were recorded. */
  Container: string | null;
  ProcessName: string | null;
  UserName: string | null;
  Direction: string | null;
  Protocol: string | null;
  ServicePort: number | null;
  RemoteAddress: string | null;
  Count: number;
  FirstSeen: string | null;
  LastSeen: string | null;
}

export interface Baseline {
  Format: typeof BASELINE_FORMAT;
  Version: number;
  Created: string;
  After: string | null;
  Before: string | null;
  Sources: string[];
  Items: BaselineItem[];
}

/** What identifies an item (its counts and times do not). */
export function itemKey(i: Omit<BaselineItem, 'Count' | 'FirstSeen' | 'LastSeen'>): string {
  // The container joins the key only when there is one: a host's items keep the keys they had.
  const where = i.Container === null ? [i.HostName] : [i.HostName, { Container: i.Container }];
  switch (i.Kind) {
    case 'ListeningPort': return JSON.stringify([i.Kind, ...where, i.ProcessName, i.Protocol, i.ServicePort]);
    case 'ServicePair': return JSON.stringify([i.Kind, ...where, i.ProcessName, i.Direction, i.Protocol, i.ServicePort]);
    // Outbound (Direction null in baselines written before inbound peers were kept, or 'Outbound').
    case 'RemoteHost': return JSON.stringify([i.Kind, ...where, i.ProcessName, i.RemoteAddress, ...(i.Direction === 'Inbound' ? ['Inbound'] : [])]);
    case 'User': return JSON.stringify([i.Kind, ...where, i.UserName]);
  }
}

function item(kind: BaselineItem['Kind'], r: Record<string, unknown>, count: number, dir: string | null = null): BaselineItem {
  return {
    Kind: kind, HostName: str(r.HostName), Container: str(r.Container), ProcessName: kind === 'User' ? null : str(r.ProcessName),
    UserName: kind === 'User' ? str(r.UserName) : null, Direction: dir, Protocol: str(r.Protocol) ?? null,
    ServicePort: numOrNull(r.ServicePort), RemoteAddress: kind === 'RemoteHost' ? str(r.RemoteAddress) : null,
    Count: count, FirstSeen: str(r.FirstSeen), LastSeen: str(r.LastSeen),
  };
}

/** The baseline items of analysis results, merged by key (views: processViews(res), when already at hand). */
/** Items merged by key: counts added, first and last seen widened (each item taken as given; merged ones are new objects). */
export function mergeItems(items: Iterable<BaselineItem>): BaselineItem[] {
  const m = new Map<string, BaselineItem>();
  for (const i of items) {
    const k = itemKey(i);
    const o = m.get(k);
    if (!o) { m.set(k, { ...i }); continue; }
    o.Count += i.Count;
    o.FirstSeen = minTime(o.FirstSeen, i.FirstSeen);
    o.LastSeen = maxTime(o.LastSeen, i.LastSeen);
  }
  return [...m.values()];
}

export function baselineItems(res: Results, views: ProcessView[] = processViews(res)): BaselineItem[] {
  const all: BaselineItem[] = [];
  const add = (i: BaselineItem) => { all.push(i); };
  for (const r of res.get('pairs') ?? []) {
    const dir = str(r.Direction);
    if (dir === 'Listen') add(item('ListeningPort', r, num(r.Events)));
    else add(item('ServicePair', r, num(r.Events), dir));
  }
  // Remote hosts of both directions: the rare rule counts each against the baseline; only outbound
  // ones are "new" (new clients of a server are routine).
  for (const r of res.get('remotes') ?? []) {
    const dir = str(r.Direction);
    if (dir === 'Outbound' || dir === 'Inbound') add(item('RemoteHost', { ...r, Protocol: null, ServicePort: null }, num(r.Connections), dir));
  }
  for (const p of views) {
    if (p.UserName === null || p.Events === 0) continue; // users on the network only
    add(item('User', { ...p, Protocol: null, ServicePort: null }, p.Events));
  }
  return mergeItems(all);
}

export class BaselineError extends Error {
  readonly code = 'PR_BASELINE_INVALID';
}

export function readBaseline(file: string): Baseline {
  let text: string;
  try { text = readRegularFile(file, 64 << 20).toString('utf8'); } catch (e) {
    throw new BaselineError(`${file}: cannot read the baseline (${(e as Error).message})`);
  }
  let b: Baseline;
  try { b = JSON.parse(text) as Baseline; } catch (e) { throw new BaselineError(`${file}: not a baseline file (${(e as Error).message})`); }
  if (b?.Format !== BASELINE_FORMAT || !Array.isArray(b.Items)) throw new BaselineError(`${file}: not a PortReport baseline file (Format must be "${BASELINE_FORMAT}")`);
  if (b.Version !== BASELINE_VERSION) throw new BaselineError(`${file}: baseline version ${b.Version} is not supported (this PortReport reads version ${BASELINE_VERSION})`);
  const bad = (where: string, field: string, why: string) => new BaselineError(`${file}: ${where}field ${field}: ${why}`);
  const isText = (v: unknown) => v === null || typeof v === 'string';
  const time = (v: unknown) => v === null || (typeof v === 'string' && isValidIsoTime(v));
  if (typeof b.Created !== 'string' || !isValidIsoTime(b.Created)) throw bad('', 'Created', 'not an ISO-8601 time');
  // After/Before are the range as the user gave it (a date alone is fine).
  for (const f of ['After', 'Before'] as const) if (b[f] !== undefined && b[f] !== null && (typeof b[f] !== 'string' || isoToMs(b[f]!) === null)) throw bad('', f, 'not an ISO-8601 time or null');
  if (b.Sources !== undefined && (!Array.isArray(b.Sources) || !b.Sources.every((x) => typeof x === 'string'))) throw bad('', 'Sources', 'not a list of file names');
  b.Items.forEach((i, n) => {
    const at = `item ${n + 1}: `;
    if (typeof i !== 'object' || i === null || Array.isArray(i)) throw bad(at, 'Kind', 'the item is not an object');
    if (!['ListeningPort', 'ServicePair', 'RemoteHost', 'User'].includes(i.Kind)) throw bad(at, 'Kind', `${quoted(String(i.Kind))} is not a baseline item kind`);
    for (const f of ['HostName', 'Container', 'ProcessName', 'UserName', 'Direction', 'Protocol', 'RemoteAddress'] as const) {
      if (i[f] === undefined) i[f] = null;
      else if (!isText(i[f])) throw bad(at, f, 'not text or null');
    }
    if (i.ServicePort === undefined) i.ServicePort = null;
    else if (i.ServicePort !== null && !(Number.isInteger(i.ServicePort) && i.ServicePort >= 0 && i.ServicePort <= 65535)) throw bad(at, 'ServicePort', 'not a port number (0-65535) or null');
    if (!(Number.isFinite(i.Count) && i.Count >= 0)) throw bad(at, 'Count', 'not a count (a number, 0 or more)');
    for (const f of ['FirstSeen', 'LastSeen'] as const) {
      if (i[f] === undefined) i[f] = null;
      else if (!time(i[f])) throw bad(at, f, 'not an ISO-8601 time or null');
    }
  });
  return b;
}

/**
 * Write a baseline owner-only, atomically: a new file (O_EXCL|O_NOFOLLOW) beside the target, then
 * renamed over it, so a symlink planted at the target is replaced, never followed.
 */
export function writeBaseline(file: string, b: Baseline, overwrite: boolean): void {
  if (!overwrite && existsNoFollow(file)) throw new BaselineError(`${file}: already exists (use --force to replace it)`);
  writeFileAtomic(file, JSON.stringify(b, null, 1) + '\n');
}
