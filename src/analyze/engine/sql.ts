/** Aggregations (queries.ts) as SQL text. The dialect hooks name what ClickHouse spells differently. */
import { DUCKDB, ident, toSql, type Dialect } from '../expr.js';
import type { Aggregation, Measure } from '../queries.js';

export interface SqlDialect extends Dialect {
  countIf(cond: string): string;
  distinctList(v: string): string;
  /**
   * The rows of `from` (already filtered) with __d, the difference of time expression t from the
   * previous row of the same group (NULL for a group's first). DuckDB: a window. ClickHouse 18
   * has no windows: there, intervals come from arrayDifference(arraySort(groupArray(t))).
   */
  withIntervals(from: string, groupBy: string[], t: string): string;
}

export const DUCKDB_SQL: SqlDialect = {
  ...DUCKDB,
  countIf: (c) => `count(*) FILTER (WHERE ${c})`,
  distinctList: (v) => `list(DISTINCT ${v}) FILTER (WHERE ${v} IS NOT NULL)`,
  withIntervals: (from, groupBy, t) =>
    `(SELECT *, __t - lag(__t) OVER (PARTITION BY ${groupBy.join(', ')} ORDER BY __t) AS __d FROM (SELECT *, ${t} AS __t FROM ${from}))`,
};

function measureSql(name: string, m: Measure, d: SqlDialect): string[] {
  const s = (e: Parameters<typeof toSql>[0]) => toSql(e, d);
  switch (m.k) {
    case 'count': return [`count(*) AS ${ident(name)}`];
    case 'countIf': return [`${d.countIf(s(m.a))} AS ${ident(name)}`];
    case 'countDistinct': return [`count(DISTINCT ${s(m.a)}) AS ${ident(name)}`];
    case 'min': case 'max': return [`${m.k}(${s(m.a)}) AS ${ident(name)}`];
    case 'set': return [`${d.distinctList(s(m.a))} AS ${ident(name)}`];
    case 'intervals': return [`count(__d) AS ${ident(`${name}Count`)}`, `avg(__d) AS ${ident(`${name}MeanMs`)}`, `stddev_pop(__d) AS ${ident(`${name}StdDevMs`)}`];
  }
}

/** One SELECT for one aggregation over table ev or pr. */
export function aggregationSql(agg: Aggregation, d: SqlDialect = DUCKDB_SQL): string {
  const keys = Object.entries(agg.keys).map(([n, e]) => [n, toSql(e, d)] as const);
  const measures = Object.entries(agg.measures).flatMap(([n, m]) => measureSql(n, m, d));
  const where = agg.where ? ` WHERE ${toSql(agg.where, d)}` : '';
  const intervals = Object.values(agg.measures).find((m) => m.k === 'intervals');
  let from = `${agg.from}${where}`;
  if (intervals && intervals.k === 'intervals') from = d.withIntervals(from, keys.map(([, e]) => e), toSql(intervals.a, d));
  const select = [...keys.map(([n, e]) => `${e} AS ${ident(n)}`), ...measures].join(', ');
  const having = agg.minRows ? ` HAVING count(*) >= ${Math.floor(agg.minRows)}` : '';
  return `SELECT ${select} FROM ${from} GROUP BY ${keys.map(([, e]) => e).join(', ')}${having}`;
}

/**
 * A query's rows as JSON text, a few thousand rows a value: reading many small values through the
 * Node binding costs far more than DuckDB's own JSON writer and one JSON.parse per chunk.
 */
export function jsonChunksSql(sql: string, rowsPerChunk = 5000): string {
  return `SELECT string_agg(j, ',') AS rows FROM (SELECT CAST(to_json(t) AS VARCHAR) AS j, (row_number() OVER ()) // ${rowsPerChunk} AS g FROM (${sql}) AS t) GROUP BY g`;
}
