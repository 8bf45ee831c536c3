/**
 * The small expression language every analysis is written in, compiled two ways: to a JavaScript
 * function (the streaming engine) and to SQL (DuckDB; the dialect hooks mark what ClickHouse
 * spells differently). Semantics are fixed so both give the same answer: comparisons with a null
 * side are false (never SQL's unknown), concat treats null as '', substr is 1-based.
 */
import { isoToMs } from '../util/time.js';

export type Value = string | number | null;

export type Expr =
  | { k: 'col'; name: string }
  | { k: 'lit'; value: Value }
  | { k: 'eq' | 'lt'; a: Expr; b: Expr }
  | { k: 'in'; a: Expr; values: (string | number)[] }
  | { k: 'isnull'; a: Expr }
  | { k: 'and' | 'or'; args: Expr[] }
  | { k: 'not'; a: Expr }
  | { k: 'case'; when: [Expr, Expr][]; else: Expr }
  | { k: 'concat'; args: Expr[] }
  | { k: 'substr'; a: Expr; start: number; len: number }
  | { k: 'int'; a: Expr }
  | { k: 'epochms'; a: Expr };

export const col = (name: string): Expr => ({ k: 'col', name });
export const lit = (value: Value): Expr => ({ k: 'lit', value });
export const eq = (a: Expr, b: Expr | Value): Expr => ({ k: 'eq', a, b: wrap(b) });
export const lt = (a: Expr, b: Expr | Value): Expr => ({ k: 'lt', a, b: wrap(b) });
export const isIn = (a: Expr, values: (string | number)[]): Expr => ({ k: 'in', a, values });
export const isNull = (a: Expr): Expr => ({ k: 'isnull', a });
export const and = (...args: Expr[]): Expr => ({ k: 'and', args });
export const or = (...args: Expr[]): Expr => ({ k: 'or', args });
export const not = (a: Expr): Expr => ({ k: 'not', a });
export const when = (cases: [Expr, Expr | Value][], otherwise: Expr | Value): Expr =>
  ({ k: 'case', when: cases.map(([c, v]) => [c, wrap(v)]), else: wrap(otherwise) });
export const concat = (...args: (Expr | Value)[]): Expr => ({ k: 'concat', args: args.map(wrap) });
export const substr = (a: Expr, start: number, len: number): Expr => ({ k: 'substr', a, start, len });
export const int = (a: Expr): Expr => ({ k: 'int', a });
export const epochMs = (a: Expr): Expr => ({ k: 'epochms', a });

function wrap(v: Expr | Value): Expr {
  return v !== null && typeof v === 'object' ? v : lit(v);
}

export type Row = Record<string, Value>;
export type Fn = (r: Row) => Value | boolean;

export function toJs(e: Expr): Fn {
  switch (e.k) {
    case 'col': { const n = e.name; return (r) => r[n] ?? null; }
    case 'lit': { const v = e.value; return () => v; }
    case 'eq': { const a = toJs(e.a); const b = toJs(e.b); return (r) => { const x = a(r); const y = b(r); return x !== null && y !== null && x === y; }; }
    case 'lt': { const a = toJs(e.a); const b = toJs(e.b); return (r) => { const x = a(r); const y = b(r); return x !== null && y !== null && x < y; }; }
    case 'in': { const a = toJs(e.a); const s = new Set<unknown>(e.values); return (r) => { const x = a(r); return x !== null && s.has(x); }; }
    case 'isnull': { const a = toJs(e.a); return (r) => a(r) === null; }
    case 'and': { const fs = e.args.map(toJs); return (r) => fs.every((f) => f(r) === true); }
    case 'or': { const fs = e.args.map(toJs); return (r) => fs.some((f) => f(r) === true); }
    case 'not': { const a = toJs(e.a); return (r) => a(r) !== true; }
    case 'case': {
      const cs = e.when.map(([c, v]) => [toJs(c), toJs(v)] as const);
      const d = toJs(e.else);
      return (r) => { for (const [c, v] of cs) if (c(r) === true) return v(r); return d(r); };
    }
    case 'concat': { const fs = e.args.map(toJs); return (r) => fs.map((f) => { const v = f(r); return v === null ? '' : String(v); }).join(''); }
    case 'substr': { const a = toJs(e.a); const { start, len } = e; return (r) => { const v = a(r); return v === null ? null : String(v).substr(start - 1, len); }; }
    case 'int': { const a = toJs(e.a); return (r) => { const v = a(r); return v === null || !/^\s*[-+]?\d+\s*$/.test(String(v)) ? null : Number(v); }; }
    case 'epochms': { const a = toJs(e.a); return (r) => { const v = a(r); return v === null ? null : isoToMs(String(v)); }; }
  }
}

/** Where SQL dialects differ. */
export interface Dialect {
  epochMs(sql: string): string;
  tryInt(sql: string): string;
  /** A string literal (ClickHouse reads backslash escapes in them; DuckDB does not). */
  string(s: string): string;
  /** Boolean literals (ClickHouse 18 has none: 1 and 0). */
  true: string;
  false: string;
  /** A value as text, for concat. */
  text(sql: string): string;
}

export const DUCKDB: Dialect = {
  epochMs: (s) => `epoch_ms(TRY_CAST(${s} AS TIMESTAMP))`,
  tryInt: (s) => `TRY_CAST(trim(CAST(${s} AS VARCHAR)) AS BIGINT)`,
  string: (s) => sqlString(s),
  true: 'true',
  false: 'false',
  text: (s) => `CAST(${s} AS VARCHAR)`,
};

/**
 * A path as a literal for DuckDB's readers, which take every path as a glob pattern: each of
 * * ? [ becomes a one-character class, so a file named `...-*.csv` is that file and no other.
 */
export const globLiteral = (path: string) => path.replace(/[*?[]/g, (c) => `[${c}]`);

/** A SQL string literal: the only way values reach SQL text. */
export function sqlString(s: string): string {
  if (s.includes('\0')) throw new Error('a NUL character cannot be used in a query value');
  return `'${s.replace(/'/g, "''")}'`;
}

export function sqlValue(v: Value): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  return sqlString(v);
}

/** A quoted identifier. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export function toSql(e: Expr, d: Dialect = DUCKDB): string {
  const s = (x: Expr) => toSql(x, d);
  const v = (x: Value) => (typeof x === 'string' ? d.string(x) : sqlValue(x));
  switch (e.k) {
    case 'col': return ident(e.name);
    case 'lit': return v(e.value);
    case 'eq': return `coalesce(${s(e.a)} = ${s(e.b)}, ${d.false})`;
    case 'lt': return `coalesce(${s(e.a)} < ${s(e.b)}, ${d.false})`;
    case 'in': return e.values.length ? `coalesce(${s(e.a)} IN (${e.values.map(v).join(', ')}), ${d.false})` : d.false;
    case 'isnull': return `(${s(e.a)} IS NULL)`;
    case 'and': return e.args.length ? `(${e.args.map(s).join(' AND ')})` : d.true;
    case 'or': return e.args.length ? `(${e.args.map(s).join(' OR ')})` : d.false;
    case 'not': return `(NOT coalesce(${s(e.a)}, ${d.false}))`;
    case 'case': return `CASE ${e.when.map(([c, x]) => `WHEN ${s(c)} THEN ${s(x)}`).join(' ')} ELSE ${s(e.else)} END`;
    case 'concat': return `concat(${e.args.map((a) => `coalesce(${d.text(s(a))}, '')`).join(', ')})`;
    case 'substr': return `substr(${s(e.a)}, ${e.start}, ${e.len})`;
    case 'int': return d.tryInt(s(e.a));
    case 'epochms': return d.epochMs(s(e.a));
  }
}
