/**
 * An import filter (filter.ts) as a SQL condition over a connections log's raw cells (Latin-1
 * text, formula guards and all) that holds for every row the filter takes, and for few others:
 * DuckDB's scan returns only these rows, and ImportFilter then decides on each, exactly. So the
 * condition may take too much, never too little, on its own (the Parquet twins' scan uses it
 * alone): whatever it cannot judge the same way (non-ASCII text, a number or time not written
 * plainly) it takes.
 */
import { ident, sqlString } from '../analyze/expr.js';
import type { ImportFilterSpec } from './filter.js';

/** Text holding non-ASCII (bytes as UTF-8 count more than characters): cheaper than a regular expression. */
const nonAscii = (c: string) => `strlen(${c}) <> length(${c})`;

/** A wildcard (* ?) as a LIKE pattern that matches it anywhere in the text; null when it holds non-ASCII. */
function likeAnywhere(p: string): string | null {
  if (/[^\x01-\x7f]/.test(p)) return null;
  const body = p.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*+/g, '%').replace(/\?/g, '_');
  return sqlString(`%${body}%`);
}

/** Any of the patterns anywhere in any of the columns (a name, a guarded name, a path's file name); or a column holding non-ASCII. */
function names(patterns: string[], cols: string[]): string | null {
  const likes = patterns.map(likeAnywhere);
  if (likes.some((l) => l === null)) return null;
  const terms = cols.flatMap((c) => [
    ...likes.map((l) => `${ident(c)} ILIKE ${l} ESCAPE '\\'`),
    nonAscii(ident(c)),
  ]);
  return `(${terms.join(' OR ')})`;
}

/** The port in the list, or a cell not written as a plain decimal (which the importer then reads). */
const ports = (col: string, list: number[]) => {
  const c = ident(col);
  return `(${c} IN (${list.map((p) => sqlString(String(p))).join(', ')}) OR ${c} GLOB '*[!0-9]*' OR ${c} GLOB '0?*' OR length(${c}) > 15)`;
};

/** A time cell shaped as our logs write it: UTC, to the millisecond (duckscan.ts also checks the calendar). */
const D = '[0-9]';
export const PLAIN_TIME = `${D}${D}${D}${D}-[01]${D}-[0-3]${D}T[0-2]${D}:[0-5]${D}:[0-5]${D}.${D}${D}${D}Z`;

/**
 * Times so shaped compare by their first 19 characters (to the second), which keeps every row in
 * range; any other time cell (an offset, no milliseconds) is kept for ImportFilter to decide.
 */
const time = (op: '>=' | '<=', iso: string) =>
  `(substr("Time", 1, 19) ${op} ${sqlString(new Date(iso).toISOString().slice(0, 19))} OR NOT "Time" GLOB '${PLAIN_TIME}')`;

/** The condition, or null when no part of this filter can be pushed into the scan. */
export function pushdownSql(spec: ImportFilterSpec, header: string[]): string | null {
  const parts: string[] = [];
  const has = (c: string) => header.includes(c);
  if (spec.processName?.length && has('ProcessName') && has('ExecutablePath')) {
    const n = names(spec.processName, ['ProcessName', 'ExecutablePath']);
    if (n) parts.push(n);
  }
  if (spec.userName?.length && has('UserName')) {
    const n = names(spec.userName, ['UserName']);
    if (n) parts.push(n);
  }
  if (spec.protocol?.length && has('Protocol')) parts.push(`"Protocol" IN (${spec.protocol.map(sqlString).join(', ')})`);
  if (spec.localPort?.length && has('LocalPort')) parts.push(ports('LocalPort', spec.localPort));
  if (spec.remotePort?.length && has('RemotePort')) parts.push(ports('RemotePort', spec.remotePort));
  if (spec.after) parts.push(time('>=', spec.after));
  if (spec.before) parts.push(time('<=', spec.before));
  return parts.length ? parts.join(' AND ') : null;
}
