/** Aggregations (queries.ts) as SQL text. The dialect hooks name what ClickHouse spells differently. */
import { DUCKDB, ident, toSql, type Dialect } from '../expr.js';
import type { Aggregation, Measure } from '../queries.js';

export interface SqlDialect extends Dialect {
  countIf(cond: string): string;
  countDistinct(v: string): string;
  distinctList(v: string): string;
  /**
   * The rows of `from` (already filtered) with __d, the difference of time expression t from the
   * previous row of the same group (NULL for a group's first). DuckDB: a window. ClickHouse 18
   * has no windows: there, intervals come from arrayDifference(arraySort(groupArray(t))).
   */
  withIntervals(from: string, groupBy: string[], t: string): string;
  /**
   * Where a dialect has no windows: the three interval measures of one group straight from its
   * rows (ClickHouse 18: arrayDifference over the sorted times); withIntervals is then not used.
   */
  intervalMeasures?(t: string): [count: string, mean: string, stddev: string];
  /** A result column's name in the SELECT (ClickHouse: aliases are query-wide, so they must not be a column's name). */
  alias(name: string): string;
}

export const DUCKDB_SQL: SqlDialect = {
  ...DUCKDB,
  countIf: (c) => `count(*) FILTER (WHERE ${c})`,
  countDistinct: (v) => `count(DISTINCT ${v})`,
  distinctList: (v) => `list(DISTINCT ${v}) FILTER (WHERE ${v} IS NOT NULL)`,
  withIntervals: (from, groupBy, t) =>
    `(SELECT *, __t - lag(__t) OVER (PARTITION BY ${groupBy.join(', ')} ORDER BY __t) AS __d FROM (SELECT *, ${t} AS __t FROM ${from}))`,
  alias: (n) => ident(n),
};

function measureSql(name: string, m: Measure, d: SqlDialect): string[] {
  const s = (e: Parameters<typeof toSql>[0]) => toSql(e, d);
  const as = d.alias;
  switch (m.k) {
    case 'count': return [`count(*) AS ${as(name)}`];
    case 'countIf': return [`${d.countIf(s(m.a))} AS ${as(name)}`];
    case 'countDistinct': return [`${d.countDistinct(s(m.a))} AS ${as(name)}`];
    case 'min': case 'max': return [`${m.k}(${s(m.a)}) AS ${as(name)}`];
    case 'set': return [`${d.distinctList(s(m.a))} AS ${as(name)}`];
    case 'intervals': {
      const [n, mean, sd] = d.intervalMeasures ? d.intervalMeasures(s(m.a)) : ['count(__d)', 'avg(__d)', 'stddev_pop(__d)'];
      return [`${n} AS ${as(`${name}Count`)}`, `${mean} AS ${as(`${name}MeanMs`)}`, `${sd} AS ${as(`${name}StdDevMs`)}`];
    }
  }
}

/** One SELECT for one aggregation over table ev or pr (source: what stands for them, a table or a subquery). */
export function aggregationSql(agg: Aggregation, d: SqlDialect = DUCKDB_SQL, source: (table: 'ev' | 'pr') => string = (t) => t): string {
  const keys = Object.entries(agg.keys).map(([n, e]) => [n, toSql(e, d)] as const);
  const measures = Object.entries(agg.measures).flatMap(([n, m]) => measureSql(n, m, d));
  const where = agg.where ? ` WHERE ${toSql(agg.where, d)}` : '';
  const intervals = Object.values(agg.measures).find((m) => m.k === 'intervals');
  let from = `${source(agg.from)}${where}`;
  if (intervals && intervals.k === 'intervals' && !d.intervalMeasures) from = d.withIntervals(from, keys.map(([, e]) => e), toSql(intervals.a, d));
  const select = [...keys.map(([n, e]) => `${e} AS ${d.alias(n)}`), ...measures].join(', ');
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
