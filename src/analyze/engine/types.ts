/** What an analysis engine does: run aggregations (queries.ts) over the loaded ev and pr rows. */
import type { Value } from '../expr.js';
import type { Aggregation } from '../queries.js';

/**
 * One result row: the keys, then each measure. A `set` measure is a sorted array of its distinct
 * non-null values; an `intervals` measure M gives MCount, MMeanMs and MStdDevMs (3 decimals).
 */
export type ResultRow = Record<string, Value | Value[]>;

export interface Engine {
  readonly name: 'stream' | 'duckdb' | 'clickhouse';
  run(aggs: Aggregation[]): Promise<Map<string, ResultRow[]>>;
  close(): Promise<void>;
}

/** Total order on values (null first, numbers before text), for sets and rows in a stable order. */
export function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : 1;
}

export function sortSet(values: Value[]): Value[] {
  return values.filter((v) => v !== null).sort(compareValues);
}

export const round3 = (x: number | null): number | null => (x === null || Number.isNaN(x) ? null : Math.round(x * 1000) / 1000);

/** A sortable text form of a key value: null first, then numbers (non-negative integers in order), then text. */
function sortPart(v: Value): string {
  if (v === null) return '\u0000';
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? `\u0001${String(v).padStart(16, '0')}` : `\u0001~${v}`;
  return `\u0002${v}`;
}

/** Rows in key order, so both engines list results identically (one text key a row, compared natively). */
export function sortRows(rows: ResultRow[], keys: string[]): ResultRow[] {
  const tagged = rows.map((r) => {
    let k = '';
    for (const name of keys) k += sortPart(r[name] as Value) + '\u0000';
    return { k, r };
  });
  tagged.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return tagged.map((t) => t.r);
}
