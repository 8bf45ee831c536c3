/**
 * bench/analyze: on a generated connections log (default 10 million rows), the whole-process time
 * of `portreport summary --baseline` (every report plus the baseline comparison, DuckDB engine)
 * against the floor: the very same SQL statements run directly through DuckDB's API on the same
 * file; and against a plain streaming csv-parse pass with one group-by (what a hand-written parser
 * would do); and, after the optional compaction, the same command over Parquet. A second anchor
 * catches a slow query design, which the floor (the engine's own statements) cannot: the same
 * reports as a few hand-tuned DuckDB queries (direction, service port and the connection test
 * computed once per row, listeners joined rather than matched by string) over the same file; the
 * bench checks that both give the same groups and counts for every report. Prints medians and
 * ratios. Target: within 1.3x of the DuckDB floor.
 * Usage: node dist/bench/analyze.js [rows=10000000] [rounds=2] [cluster]
 * With "cluster": the same rows over 10 hosts on a two-shard ClickHouse cluster, the summary and
 * the baseline comparison there beside the DuckDB engine (bench/fleet.ts).
 */
import { copyFileSync, createReadStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse';
import { median, NODE, SIDECAR, timeCommand } from './common.js';
import { generate } from './analyzelogs.js';

const SELF = new URL(import.meta.url).pathname;

/** A DuckDB database at path with the engine's tables, the log files loaded as the engine loads them. */
async function loadedDb(path: string, files: string[]) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { createTablesSql, loadSql } = await import('../src/analyze/engine/load.js');
  const db = await DuckDBInstance.create(path, { preserve_insertion_order: 'false' });
  const c = await db.connect();
  for (const st of createTablesSql()) await c.run(st);
  for (const f of files) await c.run(loadSql(f.includes('-processes-') ? 'processes' : 'connections', f, false));
  return { c, close: () => { c.closeSync(); db.closeSync(); } };
}

/** The floor: the statements the DuckDB engine runs, straight through DuckDB's API. */
async function floor(files: string[]): Promise<void> {
  const { aggregationSql, jsonChunksSql } = await import('../src/analyze/engine/sql.js');
  const { analysisQueries, LISTENERS, listenerKey } = await import('../src/analyze/queries.js');
  const dir = join(tmpdir(), `portreport-bench-floor-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const { c, close } = await loadedDb(join(dir, 'floor.duckdb'), files);
    const listeners = (await c.runAndReadAll(aggregationSql(LISTENERS))).getRowObjectsJS().map((r) => listenerKey(r));
    // Each query as the engine sends it, its rows read as the engine reads them (JSON chunks).
    for (const q of analysisQueries(listeners)) {
      for (const chunk of (await c.runAndReadAll(jsonChunksSql(aggregationSql(q)))).getColumnsJS()[0] ?? []) JSON.parse(`[${chunk as string}]`);
    }
    close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

/** The hand-tuned reports: per report, [groups, total of its first count], to compare with the engine's. */
async function handTuned(files: string[], check: string | null): Promise<void> {
  const dir = join(tmpdir(), `portreport-bench-hand-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const { c, close } = await loadedDb(join(dir, 'hand.duckdb'), files);
    const listener = `("State" = 'Listen' OR ("Protocol" = 'UDP' AND coalesce("RemotePort", 0) = 0))`;
    await c.run(`CREATE TEMP TABLE l AS SELECT DISTINCT coalesce("HostName", '') AS h, "Protocol" AS p, "LocalPort" AS port FROM ev WHERE ${listener}`);
    // Every per-row fact once: direction (listeners joined), service port, contact, remote, hour.
    await c.run(`CREATE TEMP TABLE x AS SELECT *,
        CASE WHEN lis THEN "LocalPort" WHEN dir = 'Inbound' THEN "LocalPort" ELSE "RemotePort" END AS svc
      FROM (SELECT ev.*, coalesce(${listener}, false) AS lis,
          CASE WHEN coalesce(${listener}, false) THEN 'Listen' WHEN li.port IS NOT NULL THEN 'Inbound' WHEN lo.port IS NOT NULL THEN 'Outbound'
               WHEN coalesce(ev."LocalPort" < ev."RemotePort", false) THEN 'Inbound' ELSE 'Outbound' END AS dir,
          (NOT coalesce(${listener}, false)) AND (coalesce(ev."Event" IN ('Open', 'Socket', 'Seen'), false) OR (coalesce(ev."Event" = 'Close', false) AND ev."FirstSeen" IS NULL)) AS contact,
          ev."RemoteAddress" IS NOT NULL AND ev."RemoteAddress" NOT IN ('0.0.0.0', '::', '*', '') AS remote,
          substr(ev."Time", 1, 13) AS hb
        FROM ev
        LEFT JOIN l li ON li.h = coalesce(ev."HostName", '') AND li.p = ev."Protocol" AND li.port = ev."LocalPort"
        LEFT JOIN l lo ON lo.h = coalesce(ev."HostName", '') AND lo.p = ev."Protocol" AND lo.port = ev."RemotePort")`);
    const pk = '"HostName", "ProcessName", "ExecutablePath", "UserName"';
    const reports: [string, string][] = [
      ['hosts', `SELECT count(*) AS n, "HostName", count(DISTINCT hb), min("Time"), max("Time") FROM x GROUP BY "HostName"`],
      ['ports', `SELECT count(*) AS n, count(*) FILTER (WHERE contact AND dir = 'Inbound'), count(DISTINCT hb), list(DISTINCT "ProcessName") FROM x WHERE dir IN ('Listen', 'Inbound') GROUP BY "HostName", "Protocol", "LocalPort"`],
      ['processes', `SELECT count(*) AS n, count(*) FILTER (WHERE contact), count(DISTINCT hb), count(DISTINCT CASE WHEN remote THEN "RemoteAddress" END) FROM x GROUP BY ${pk}`],
      ['remotes', `SELECT count(*) AS n, list(DISTINCT svc), min("Time"), max("Time") FROM x WHERE contact AND remote GROUP BY ${pk}, dir, "RemoteAddress"`],
      ['pairs', `SELECT count(*) AS n, count(*) FILTER (WHERE contact) FROM x GROUP BY ${pk}, dir, "Protocol", svc`],
      ['hours', `SELECT count(*) AS n FROM x WHERE contact GROUP BY "HostName", "Protocol", dir, svc, CAST(substr("Time", 12, 2) AS INTEGER)`],
      ['beacons', `SELECT count(d) AS n, avg(d), stddev_pop(d) FROM (SELECT ${pk}, "RemoteAddress", "RemotePort",
          t - lag(t) OVER (PARTITION BY ${pk}, "RemoteAddress", "RemotePort" ORDER BY t) AS d
          FROM (SELECT *, epoch_ms(TRY_CAST("Time" AS TIMESTAMP)) AS t FROM x WHERE contact AND remote AND dir = 'Outbound'))
        GROUP BY ${pk}, "RemoteAddress", "RemotePort" HAVING count(*) >= 3`],
      ['instances', `SELECT count(*) AS n FROM pr GROUP BY "HostName", "ProcessId", "ProcessStartTime", "ProcessName", "ExecutablePath", "UserName", "ServiceName", "ExecutableSha256", "Modules"`],
    ];
    const got: Record<string, [number, number]> = {};
    for (const [name, sql] of reports) {
      const rows = (await c.runAndReadAll(sql)).getRows();
      got[name] = [rows.length, rows.reduce((a, r) => a + Number(r[0]), 0)];
    }
    close();
    if (check) writeFileSync(check, JSON.stringify(got));
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

/** The engine's own statements, per report: [groups, total of its first count] (the agreement check). */
async function engineCounts(files: string[]): Promise<Record<string, [number, number]>> {
  const { aggregationSql } = await import('../src/analyze/engine/sql.js');
  const { analysisQueries, LISTENERS, listenerKey } = await import('../src/analyze/queries.js');
  const { c, close } = await loadedDb(':memory:', files);
  const listeners = (await c.runAndReadAll(aggregationSql(LISTENERS))).getRowObjectsJS().map((r) => listenerKey(r));
  const out: Record<string, [number, number]> = {};
  for (const q of analysisQueries(listeners)) {
    const rows = (await c.runAndReadAll(aggregationSql(q))).getRowObjectsJS();
    const first = Object.keys(q.measures).find((k) => ['count', 'intervals'].includes(q.measures[k].k))!;
    const col = q.measures[first].k === 'intervals' ? `${first}Count` : first;
    // Beacon series count intervals (rows - 1), as the hand query's count(d) does.
    out[q.name] = [rows.length, rows.reduce((a, r) => a + Number(r[col]), 0)];
  }
  close();
  return out;
}

/** What a hand-written parser would do: stream the CSV with csv-parse, count rows per process. */
async function csvParsePass(file: string): Promise<void> {
  const counts = new Map<string, number>();
  const parser = createReadStream(file).pipe(parse({ from_line: 2 }));
  for await (const row of parser as AsyncIterable<string[]>) counts.set(row[12], (counts.get(row[12]) ?? 0) + 1);
  if (counts.size === 0) throw new Error('no rows');
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 10_000_000);
  const rounds = Number(process.argv[3] ?? 2);
  const dir = join(tmpdir(), `portreport-bench-analyze-${rows}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = join(dir, 'done');
  const big = [join(dir, 'portreport-connections-v1-big.csv'), join(dir, 'portreport-processes-v1-big.csv')];
  const learn = join(dir, 'learn');
  if (!existsSync(stamp)) {
    const t = Date.now();
    generate(dir, 'big', rows, 42);
    mkdirSync(learn, { recursive: true });
    generate(learn, 'learn', Math.min(rows, 200_000), 7);
    writeFileSync(stamp, '');
    console.log(`generated ${rows} rows in ${((Date.now() - t) / 1000).toFixed(1)} s (${dir})`);
  }
  const baseline = join(dir, 'baseline.json');
  timeCommand(NODE, [SIDECAR, 'baseline', learn, '--out', baseline, '--force', '--format', 'ndjson']);
  // The optional compaction (once, timed on its own): the same analysis over Parquet twins.
  const pq = join(dir, 'parquet');
  if (!existsSync(join(pq, 'done'))) {
    mkdirSync(pq, { recursive: true });
    for (const f of big) copyFileSync(f, join(pq, basename(f)));
    const ms = timeCommand(NODE, [SIDECAR, 'compact', pq, '--all', '--delete-source', '--format', 'ndjson']);
    writeFileSync(join(pq, 'done'), '');
    console.log(`compacted to Parquet in ${(ms / 1000).toFixed(1)} s`);
  }
  const variants: [string, string[]][] = [
    ['DuckDB API, same statements (floor)', [SELF, '--floor', ...big]],
    ['portreport summary --baseline', [SIDECAR, 'summary', ...big, '--baseline', baseline, '--engine', 'duckdb', '--format', 'ndjson']],
    ['hand-tuned DuckDB queries (2nd anchor)', [SELF, '--hand', ...big]],
    ['csv-parse streaming pass, 1 group-by', [SELF, '--csv-parse', big[0]]],
    ['the same, over compacted Parquet logs', [SIDECAR, 'summary', pq, '--baseline', baseline, '--format', 'ndjson']],
  ];
  // The second anchor must answer the same questions: same groups and counts in every report.
  const checkFile = join(dir, 'hand.json');
  await handTuned(big, checkFile);
  const hand = JSON.parse(readFileSync(checkFile, 'utf8')) as Record<string, [number, number]>;
  const engine = await engineCounts(big);
  const differ = Object.keys(engine).filter((k) => JSON.stringify(engine[k]) !== JSON.stringify(hand[k]));
  if (differ.length) throw new Error(`the hand-tuned queries disagree with the engine on ${differ.map((k) => `${k} (engine ${engine[k]}, hand ${hand[k]})`).join(', ')}`);
  console.log(`hand-tuned queries agree with the engine on every report (groups, counts): ${Object.entries(engine).map(([k, [g, n]]) => `${k} ${g}/${n}`).join(', ')}`);
  const times = variants.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) variants.forEach(([, args], i) => times[i].push(timeCommand(NODE, args)));
  const anchor = median(times[0]);
  const anchor2 = median(times[2]);
  console.log(`bench/analyze: ${rows} rows, ${rounds} rounds (medians)`);
  variants.forEach(([name], i) => {
    const m = median(times[i]);
    console.log(`  ${name.padEnd(40)} ${(m / 1000).toFixed(2).padStart(8)} s   ${(m / anchor).toFixed(2)}x of the floor   ${(m / anchor2).toFixed(2)}x of the hand-tuned queries`);
  });
  console.log('  target: portreport summary --baseline <= 1.30x of the floor');
  const out = readFileSync(baseline, 'utf8').length;
  if (!out) throw new Error('empty baseline');
}

if (process.argv[2] === '--floor') await floor(process.argv.slice(3));
else if (process.argv[2] === '--hand') await handTuned(process.argv.slice(3), null);
else if (process.argv[2] === '--csv-parse') await csvParsePass(process.argv[3]);
else if (process.argv[4] === 'cluster') await import('./fleet.js');
else await main();
