/**
 * The ClickHouse engine (docs/fleet.md): the same aggregations (queries.ts) run on the fleet's
 * tables, across every host or the ones chosen. The ev and pr rows are subqueries over the shipped
 * logs that read the cells as the DuckDB engine reads the CSV (load.ts): the formula guard removed,
 * empty cells null, numbers cast, ::ffff: addresses unmapped, only rows with a real time (or none)
 * and numbers written as numbers. SQL in the subset ClickHouse 18.16 runs: no windows (intervals
 * from arrayDifference), no boolean literals, every value inlined with ClickHouse's escaping.
 */
import type { Diagnostic } from '../../model/diagnostic.js';
import { encodeBytes } from '../../util/bytes.js';
import { Progress } from '../../util/progress.js';
import { ClickHouse, sqlIdent, sqlText } from '../../fleet/clickhouse/client.js';
import { ident, type Value } from '../expr.js';
import type { Aggregation } from '../queries.js';
import { EV_COLUMNS, PR_COLUMNS, PROCESS_EVENTS, SOCKET_EVENTS } from '../rows.js';
import { CONN_TEXT, INITIAL_TEXT, PROC_TEXT } from '../../watch/logformat.js';
import { js } from './load.js';
import { aggregationSql, type SqlDialect } from './sql.js';
import { round3, sortRows, sortSet, type Engine, type ResultRow } from './types.js';

const lit = (s: string) => sqlText(encodeBytes(s).toString('latin1'));

export const CLICKHOUSE_SQL: SqlDialect = {
  epochMs: (s) => `(toUnixTimestamp(parseDateTimeBestEffortOrNull(${s})) * 1000 + if(substring(${s}, 20, 1) = '.', toInt64OrZero(substring(${s}, 21, 3)), 0))`,
  tryInt: (s) => `toInt64OrNull(replaceRegexpAll(toString(${s}), '^\\\\s+|\\\\s+$', ''))`,
  string: lit,
  true: '1',
  false: '0',
  text: (s) => `toString(${s})`,
  countIf: (c) => `countIf(${c})`,
  // Over nothing but nulls ClickHouse's distinct count is null; DuckDB's is 0.
  countDistinct: (v) => `ifNull(uniqExact(${v}), 0)`,
  distinctList: (v) => `groupUniqArray(${v})`,
  withIntervals: () => { throw new Error('ClickHouse has no windows: intervalMeasures'); },
  intervalMeasures: (t) => {
    const d = `arrayPopFront(arrayDifference(arraySort(groupArray(${t}))))`;
    return [`length(${d})`, `if(length(${d}) = 0, NULL, arrayReduce('avg', ${d}))`, `if(length(${d}) = 0, NULL, arrayReduce('stddevPop', ${d}))`];
  },
  alias: (n) => ident(`r_${n}`),
};

const INT = new Set(['LocalPort', 'RemotePort', 'ProcessId']);
const ADDRESSES = new Set(['LocalAddress', 'RemoteAddress']);
const TIME_RE = `^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})?$`;

const q = (c: string) => sqlIdent(c);
const unguard = (c: string) => `if(startsWith(${q(c)}, '\\''), substring(${q(c)}, 2), ${q(c)})`;
const unmapped = (x: string) => `if(lower(substring(${x}, 1, 7)) = '::ffff:' AND match(substring(${x}, 8), '^[0-9]{1,3}\\\\.[0-9]{1,3}\\\\.[0-9]{1,3}\\\\.[0-9]{1,3}$'), substring(${x}, 8), ${x})`;

/** The projection of one shipped table onto ev or pr columns. */
function projection(table: string, kind: 'connections' | 'initial' | 'processes', where: string): string {
  const text = new Set(kind === 'connections' ? CONN_TEXT : kind === 'initial' ? INITIAL_TEXT : PROC_TEXT);
  const time = kind === 'initial' ? 'ObservedAt' : 'Time';
  const cell = (c: string) => `nullIf(${text.has(c) ? unguard(c) : q(c)}, '')`;
  const cols = (kind === 'processes' ? PR_COLUMNS : EV_COLUMNS).map(([c]) => {
    let v: string;
    if (c === 'Time') v = cell(time);
    else if (c === 'HostName') v = `coalesce(${cell('HostName')}, ShipHost)`;
    else if (c === 'FirstSeen' && kind === 'initial') v = 'CAST(NULL AS Nullable(String))';
    else if (c === 'Container') v = kind === 'initial' ? `coalesce(${cell('LinuxContainerName')}, ${cell('LinuxContainerId')})` : `coalesce(${cell('ContainerName')}, ${cell('ContainerId')})`;
    else if (INT.has(c)) v = `toInt64OrNull(${q(c)})`;
    else if (ADDRESSES.has(c)) v = unmapped(cell(c));
    else v = cell(c);
    return [c, v];
  });
  // Rows the importer would skip (a time that is not one, a number that is not one) are left out.
  const numbers = [...INT].filter(() => kind !== 'processes').concat(kind === 'processes' ? ['ProcessId'] : []);
  const valid = [`(${q(time)} = '' OR (match(${q(time)}, '${TIME_RE}') AND parseDateTimeBestEffortOrNull(${q(time)}) IS NOT NULL))`,
    ...numbers.map((c) => `(${q(c)} = '' OR match(${q(c)}, '^[0-9]+$'))`)];
  const events = (kind === 'processes' ? PROCESS_EVENTS : SOCKET_EVENTS).map((e) => `'${e}'`).join(', ');
  // ClickHouse's aliases are query-wide: cast under other names first, then name them as ev's columns.
  const inner = `SELECT ${cols.map(([c, v]) => `${v} AS ${ident(`p_${c}`)}`).join(', ')} FROM ${table} WHERE Event IN (${events}) AND ${valid.join(' AND ')}${where}`;
  return `SELECT ${cols.map(([c]) => `${ident(`p_${c}`)} AS ${ident(c)}`).join(', ')} FROM (${inner})`;
}

/** A * ? wildcard as a LIKE pattern (its own % _ \\ escaped). */
const likePattern = (w: string) => w.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%').replace(/\?/g, '_');

export interface ClickHouseScope {
  /** Host names (ShipHost) to analyse, with * and ? wildcards; empty: every host. */
  hosts: string[];
}

export class ClickHouseEngine implements Engine {
  readonly name = 'clickhouse' as const;
  private readonly progress: Progress;
  private readonly ev: string;
  private readonly pr: string;

  constructor(private ch: ClickHouse, scope: ClickHouseScope, report: (d: Diagnostic) => void) {
    this.progress = new Progress(report, 'Analysing on ClickHouse');
    const db = sqlIdent(ch.target.database);
    const hosts = scope.hosts.length
      ? ` AND (${scope.hosts.map((h) => (/[*?]/.test(h) ? `lower(ShipHost) LIKE ${lit(likePattern(h.toLowerCase()))}` : `ShipHost = ${lit(h)}`)).join(' OR ')})`
      : '';
    this.ev = `(${projection(`${db}.connections`, 'connections', hosts)} UNION ALL ${projection(`${db}.snapshots`, 'initial', hosts)}) AS ev`;
    this.pr = `(${projection(`${db}.processes`, 'processes', hosts)}) AS pr`;
  }

  async run(aggs: Aggregation[]): Promise<Map<string, ResultRow[]>> {
    const out = new Map<string, ResultRow[]>();
    for (const [i, agg] of aggs.entries()) {
      this.progress.update(i, aggs.length, `query ${agg.name} (${i + 1} of ${aggs.length})`, true);
      const sql = aggregationSql(agg, CLICKHOUSE_SQL, (t) => (t === 'ev' ? this.ev : this.pr));
      const text = await this.ch.query(`${sql} FORMAT JSONEachRow`, undefined, { output_format_json_quote_64bit_integers: 0, output_format_json_quote_denormals: 0 });
      const sets = Object.entries(agg.measures).filter(([, m]) => m.k === 'set').map(([n]) => n);
      const intervals = Object.entries(agg.measures).filter(([, m]) => m.k === 'intervals').map(([n]) => n);
      const rows: ResultRow[] = [];
      for (const line of text.split('\n')) {
        if (line === '') continue;
        const raw = JSON.parse(line) as Record<string, Value | Value[]>;
        const r: ResultRow = {};
        for (const k in raw) r[k.slice(2)] = js(raw[k]);
        for (const s of sets) r[s] = sortSet((r[s] as Value[] | null) ?? []);
        for (const n of intervals) {
          r[`${n}MeanMs`] = round3(r[`${n}MeanMs`] as number | null);
          r[`${n}StdDevMs`] = round3(r[`${n}StdDevMs`] as number | null);
        }
        rows.push(r);
      }
      out.set(agg.name, sortRows(rows, Object.keys(agg.keys)));
    }
    return out;
  }

  async close(): Promise<void> {
    this.ch.close();
  }
}
