/** Option value parsing with errors that name the option and the bad value. */
import type { Protocol, SocketState } from '../model/record.js';
import { SOCKET_STATES } from '../model/record.js';
import { parseAddressPattern } from '../util/ip.js';
import { userTimeToMs } from '../util/time.js';
import { quoted } from '../util/display.js';
import { UsageError } from './io.js';
import { CONTRACT_VERSIONS } from '../model/record.js';

/** --contract N: the caller's contract version must be one this sidecar speaks; returns it. */
export function checkContract(v: string | undefined): number {
  const n = CONTRACT_VERSIONS[CONTRACT_VERSIONS.length - 1];
  if (v === undefined) return n;
  if (!CONTRACT_VERSIONS.some((c) => String(c) === v)) {
    throw new UsageError(`--contract: this sidecar speaks NDJSON contracts ${CONTRACT_VERSIONS.join(' and ')}, not ${quoted(v)}; install matching versions of the module and the sidecar`);
  }
  return Number(v);
}

/**
 * Options may repeat and take comma lists: --port 22,80 --port 443. A value holding a comma or a
 * backslash escapes it (\, and \\): --process 'a\,b' is the one name "a,b". --process=-2+3 takes a
 * value that starts with '-'.
 */
export function list(v: string[] | string | undefined): string[] {
  if (v === undefined) return [];
  const out: string[] = [];
  for (const x of Array.isArray(v) ? v : [v]) {
    let cur = '';
    for (let i = 0; i < x.length; i++) {
      const c = x[i];
      if (c === '\\' && i + 1 < x.length && (x[i + 1] === ',' || x[i + 1] === '\\')) cur += x[++i];
      else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
    }
    out.push(cur);
  }
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

export function ports(opt: string, v: string[] | string | undefined): number[] {
  return list(v).map((p) => {
    const n = Number(p);
    if (!/^\d+$/.test(p) || n > 65535) throw new UsageError(`--${opt}: "${p}" is not a port number (0-65535)`);
    return n;
  });
}

export function integers(opt: string, v: string[] | string | undefined): number[] {
  return list(v).map((p) => {
    if (!/^\d+$/.test(p)) throw new UsageError(`--${opt}: "${p}" is not a whole number`);
    return Number(p);
  });
}

export function protocols(v: string[] | string | undefined): Protocol[] {
  return list(v).map((p) => {
    const u = p.toUpperCase();
    if (u !== 'TCP' && u !== 'UDP') throw new UsageError(`--protocol: "${p}" is not TCP or UDP`);
    return u;
  });
}

const norm = (s: string) => s.toLowerCase().replace(/[-_ ]/g, '');
const STATE_BY_KEY = new Map(SOCKET_STATES.map((s) => [norm(s), s]));
STATE_BY_KEY.set('listening', 'Listen');
STATE_BY_KEY.set('synrecv', 'SynReceived');
STATE_BY_KEY.set('unconn', 'Bound');
STATE_BY_KEY.set('estab', 'Established');

export function states(v: string[] | string | undefined): SocketState[] {
  return list(v).map((p) => {
    const s = STATE_BY_KEY.get(norm(p));
    if (!s) throw new UsageError(`--state: "${p}" is not a state (${SOCKET_STATES.join(', ')})`);
    return s;
  });
}

export function addresses(v: string[] | string | undefined): string[] {
  const l = list(v);
  for (const a of l) {
    try { parseAddressPattern(a); } catch (e) { throw new UsageError(`--remote-address: ${(e as Error).message}`); }
  }
  return l;
}

export function oneOf<T extends string>(opt: string, v: string | undefined, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  const hit = allowed.find((a) => a === v.toLowerCase());
  if (!hit) throw new UsageError(`--${opt}: "${v}" is not one of ${allowed.join(', ')}`);
  return hit;
}

/** A time option as epoch ms (ISO-8601; without an offset read as UTC, as the filters read it), or null when absent. */
export function isoTime(opt: string, v: string | undefined): number | null {
  if (v === undefined) return null;
  const t = userTimeToMs(v);
  if (t === null) throw new UsageError(`--${opt}: ${quoted(v)} is not an ISO-8601 date and time (2026-11-29, 2026-11-29T08:00, 2026-11-29T08:00:00Z; without a zone: this computer's local time)`);
  return t;
}
