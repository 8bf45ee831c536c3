/**
 * Watch lists: what an admin wants flagged whenever it is on the network. From a file (one
 * `kind: value` a line, `#` comments) and/or from parameters. Kinds: process, path, hash, module,
 * user, address (IP or CIDR), host, port. Names and paths take * and ? and compare
 * case-insensitively; hashes are SHA-256 hex.
 */
import { readRegularFile } from '../util/files.js';
import { quoted } from '../util/display.js';
import { AddressPatternError, parseAddressPattern, type AddressPattern } from '../util/ip.js';
import { wildcard } from '../util/wildcard.js';

export const WATCH_KINDS = ['process', 'path', 'hash', 'module', 'user', 'address', 'host', 'port'] as const;
export type WatchKind = (typeof WATCH_KINDS)[number];

export class WatchListError extends Error {
  readonly code = 'PR_WATCHLIST_BAD_ENTRY';
}

export interface WatchEntry {
  kind: WatchKind;
  text: string;
  /** Where it came from: "file:line" or "parameter". */
  origin: string;
  test(value: string | number | null): boolean;
}

export function watchEntry(kind: string, value: string, origin: string): WatchEntry {
  const k = kind.trim().toLowerCase() as WatchKind;
  const text = value.trim();
  const fail = (why: string) => new WatchListError(`${origin}: field ${k || 'kind'}: ${why}`);
  if (!WATCH_KINDS.includes(k)) throw fail(`unknown kind ${quoted(kind.trim())} (one of: ${WATCH_KINDS.join(', ')})`);
  if (text === '') throw fail('empty value');
  switch (k) {
    case 'port': {
      if (!/^\d+$/.test(text) || Number(text) > 65535) throw fail(`${quoted(text)} is not a port number (0-65535)`);
      const n = Number(text);
      return { kind: k, text, origin, test: (v) => v === n };
    }
    case 'hash': {
      if (!/^[0-9a-f]{64}$/i.test(text)) throw fail(`${quoted(text)} is not a SHA-256 hash (64 hex digits)`);
      const h = text.toLowerCase();
      return { kind: k, text, origin, test: (v) => typeof v === 'string' && v.toLowerCase() === h };
    }
    case 'address': {
      let p: AddressPattern;
      try { p = parseAddressPattern(text); } catch (e) { if (e instanceof AddressPatternError) throw fail(e.message); throw e; }
      return { kind: k, text, origin, test: (v) => typeof v === 'string' && p.matches(v) };
    }
    default: {
      const re = wildcard(text);
      return { kind: k, text, origin, test: (v) => typeof v === 'string' && re.test(v) };
    }
  }
}

/** Parse watch-list text; every bad line is collected (file, line, field), none stops the rest. */
export function parseWatchList(text: string, file: string): { entries: WatchEntry[]; errors: WatchListError[] } {
  const entries: WatchEntry[] = [];
  const errors: WatchListError[] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const origin = `${file}:${i + 1}`;
    if (colon <= 0) { errors.push(new WatchListError(`${origin}: field kind: expected "kind: value", found ${quoted(line)}`)); return; }
    try { entries.push(watchEntry(line.slice(0, colon), line.slice(colon + 1), origin)); } catch (e) {
      if (e instanceof WatchListError) errors.push(e); else throw e;
    }
  });
  return { entries, errors };
}

export function readWatchList(file: string): { entries: WatchEntry[]; errors: WatchListError[] } {
  let text: string;
  try { text = readRegularFile(file, 16 << 20).toString('utf8'); } catch (e) {
    throw new WatchListError(`${file}: cannot read the watch list (${(e as Error).message})`);
  }
  return parseWatchList(text, file);
}
