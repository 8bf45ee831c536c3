/**
 * The expression language means the same in JavaScript and in DuckDB's SQL, nulls included, and
 * values reach SQL only as escaped literals.
 */
import { expect, test } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { and, col, concat, epochMs, eq, int, isIn, isNull, lt, not, or, sqlString, substr, toJs, toSql, when, type Expr, type Row } from '../../src/analyze/expr.js';

const ROWS: Row[] = [
  { s: 'a', n: 1, t: '2026-11-02T13:05:00.250Z' },
  { s: null, n: null, t: null },
  { s: "it's", n: 80, t: '2005-07-06T13:52:02' },
  { s: 'x', n: 0, t: 'not a time' },
];

const EXPRS: Record<string, Expr> = {
  eq: eq(col('s'), 'a'),
  notEq: not(eq(col('s'), 'a')),
  lt: lt(col('n'), 10),
  in: isIn(col('s'), ["it's", 'x']),
  notIn: not(isIn(col('n'), [1, 80])),
  isNull: isNull(col('s')),
  andOr: or(and(eq(col('n'), 1), eq(col('s'), 'a')), isNull(col('n'))),
  case: when([[lt(col('n'), 50), 'low'], [isNull(col('n')), 'none']], 'high'),
  concat: concat(col('s'), '|', col('n')),
  substr: substr(col('t'), 12, 2),
  int: int(substr(col('t'), 12, 2)),
  epoch: epochMs(col('t')),
};

test('JavaScript and SQL agree on every expression, nulls included', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run('CREATE TABLE r (s VARCHAR, n INTEGER, t VARCHAR)');
    for (const r of ROWS) await c.run(`INSERT INTO r VALUES (${[r.s, r.n, r.t].map((v) => (v === null ? 'NULL' : typeof v === 'number' ? v : sqlString(v))).join(', ')})`);
    for (const [name, e] of Object.entries(EXPRS)) {
      const sql = (await c.runAndReadAll(`SELECT ${toSql(e)} AS v FROM r ORDER BY rowid`)).getColumnsJS()[0].map((v) => (typeof v === 'bigint' ? Number(v) : v));
      const js = ROWS.map((r) => toJs(e)(r));
      expect(js, name).toEqual(sql);
    }
  } finally { c.closeSync(); db.closeSync(); }
});

test('values are escaped literals; a NUL cannot reach a query', () => {
  expect(toSql(isIn(col('HostName'), ["web'; DROP TABLE ev; --"]))).toBe(`coalesce("HostName" IN ('web''; DROP TABLE ev; --'), false)`);
  expect(toSql(col('we"ird'))).toBe('"we""ird"');
  expect(() => toSql(eq(col('s'), 'a\0b'))).toThrow(/NUL/);
});
