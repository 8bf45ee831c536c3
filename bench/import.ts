/**
 * bench/import: a generated connections log of N rows (default 10 million). Every figure is a whole
 * process whose output is read through a pipe(2) by this process, as the module reads it (the
 * /dev/null figure beside it), and each is a ratio against an anchor measured in the same run:
 * - `portreport import` unfiltered: rows per second (target >= 1 M rows/s through the pipe), and
 *   beside it the split floor: node reading the same lines and splitting them, nothing else;
 * - `portreport import --remote-port 40000` (DuckDB scan, the default for a file this large) and
 *   `--engine stream` against DuckDB's own filtered scan of the same file writing the same rows
 *   as JSON lines to the same pipe (target <= 1.2x);
 * - `@(Import-PortReportLog)` against `@(Import-Csv)` on the same rows in one warm pwsh
 *   (target: at least 5x Import-Csv's speed).
 * Usage: node dist/bench/import.js [rows=10000000] [cmdletRows=200000] [rounds=3] [filtered]
 * (`filtered`: only the filtered import and its anchor, for a quick look at the engine)
 */
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONNECTION_LOG_COLUMNS, CONNECTIONS_LOG } from '../src/watch/logformat.js';
import { median, NODE, SIDECAR, timeCommand, timeCommandPipe } from './common.js';

const SELF = fileURLToPath(import.meta.url);
const rows = Number(process.argv[2] ?? 10_000_000);
const cmdletRows = Number(process.argv[3] ?? 200_000);
const rounds = Number(process.argv[4] ?? 3);
const onlyFiltered = process.argv[5] === 'filtered';
const PORT = 40000;
const MODULE = fileURLToPath(new URL('../../powershell/PortReport/PortReport.psd1', import.meta.url));
const PWSH = join(homedir(), '.dotnet/tools/pwsh');
/** A realistic Close row: every column filled, like a busy server's log. */
function generate(path: string, n: number): void {
  const fd = openSync(path, 'w');
  writeSync(fd, CONNECTIONS_LOG.header);
  const base = Date.UTC(2026, 10, 1);
  // Every column filled up to Message; the namespace as on a host, no container.
  const tail = `,net:[4026531840]${','.repeat(CONNECTION_LOG_COLUMNS.length - 2 - CONNECTION_LOG_COLUMNS.indexOf('Message'))}`;
  let chunk = '';
  for (let i = 0; i < n; i++) {
    const t = new Date(base + i * 50).toISOString();
    const pid = 1000 + (i % 97);
    chunk += `${t},Close,TCP,IPv4,10.0.${i % 7}.${i % 250},${443 + (i % 3)},192.168.${i % 13}.${i % 199},${32768 + (i % 28000)},Closed,Established,${pid},2026-11-01T00:00:00.000Z,nginx,/usr/sbin/nginx,www-data,33,nginx.service,Known,${t},${t},12.5,${i % 100000},${i % 77777},destroy,${1000000 + i},0,web01,${tail}\n`;
    if (chunk.length > 1 << 20) { writeSync(fd, chunk); chunk = ''; }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

/** The anchor of the filtered import: DuckDB scans the file with the filter and writes JSON lines to stdout. */
async function duckdbFilteredScan(file: string, port: number): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const lit = `'${file.replace(/'/g, "''")}'`;
  await c.run(`COPY (SELECT * FROM read_csv(${lit}, header = true, all_varchar = true) WHERE RemotePort = '${port}') TO '/dev/stdout' (FORMAT JSON)`);
  c.closeSync();
  db.closeSync();
}

/** The split floor: node reading the file and splitting each line without a quote at its commas, and nothing else. */
async function splitFloor(file: string): Promise<void> {
  let rest = '';
  let cells = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as Buffer).toString('latin1');
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = text.slice(start, nl);
      start = nl + 1;
      if (line.indexOf('"') < 0) cells += line.split(',').length;
    }
    rest = text.slice(start);
  }
  process.stdout.write(`${cells}\n`);
}

/** Median [ms through the pipe, ms to /dev/null, bytes] of a command over the rounds. */
async function both(cmd: string, args: string[]): Promise<[number, number, number]> {
  const p: number[] = [];
  const n: number[] = [];
  let bytes = 0;
  for (let r = 0; r < rounds; r++) {
    const [ms, b] = await timeCommandPipe(cmd, args);
    p.push(ms);
    bytes = b;
    n.push(timeCommand(cmd, args));
  }
  return [median(p), median(n), bytes];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'portreport-benchimport-'));
  try {
    const big = join(dir, 'portreport-connections-v1-big.csv');
    const small = join(dir, 'portreport-connections-v1-small.csv');
    generate(big, rows);
    generate(small, cmdletRows);
    console.log(`bench/import: ${rows} rows (sidecar), ${cmdletRows} rows (cmdlet vs Import-Csv), ${rounds} rounds (medians)`);
    const line = (name: string, [p, n, b]: [number, number, number], extra: string) =>
      console.log(`  ${name.padEnd(44)} pipe ${(p / 1000).toFixed(2).padStart(6)} s   /dev/null ${(n / 1000).toFixed(2).padStart(6)} s   ${(b / 1e6).toFixed(0).padStart(5)} MB   ${extra}`);
    if (!onlyFiltered) {
      const all = await both(NODE, [SIDECAR, 'import', big]);
      line('portreport import (unfiltered)', all, `${(rows / all[0] / 1000).toFixed(2)} M rows/s through the pipe; target >= 1 M rows/s`);
      const packed = await both(NODE, [SIDECAR, 'import', big, '--format', 'packed']);
      line('portreport import --format packed (the module\'s)', packed, `${(rows / packed[0] / 1000).toFixed(2)} M rows/s through the pipe`);
      // Where the time goes: a JavaScript parser's floor on this machine, reading and splitting the lines alone.
      const floor = await both(NODE, [SELF, '--split-floor', big]);
      line('  split floor: node reads and splits the lines', floor, `${(rows / floor[0] / 1000).toFixed(2)} M rows/s; the packed import is ${(packed[0] / floor[0]).toFixed(2)}x of it`);
    }
    // A selective filter, as an investigator's: one remote port of the 28,000 in the log.
    const anchor = await both(NODE, [SELF, '--duckdb-scan', big, String(PORT)]);
    line(`DuckDB filtered scan, RemotePort = ${PORT} (anchor)`, anchor, `${(rows / anchor[0] / 1000).toFixed(2)} M rows/s`);
    // The default engine (auto) scans a file this large with DuckDB, the filter pushed into the scan.
    const filtered = await both(NODE, [SIDECAR, 'import', big, '--remote-port', String(PORT)]);
    line(`portreport import --remote-port ${PORT} (DuckDB scan)`, filtered, `${(rows / filtered[0] / 1000).toFixed(2)} M rows/s; ${(filtered[0] / anchor[0]).toFixed(2)}x of DuckDB's scan; target <= 1.20x`);
    const streamed = await both(NODE, [SIDECAR, 'import', big, '--remote-port', String(PORT), '--engine', 'stream']);
    line(`  the same with --engine stream`, streamed, `${(rows / streamed[0] / 1000).toFixed(2)} M rows/s; ${(streamed[0] / anchor[0]).toFixed(2)}x of DuckDB's scan`);
    // Where the time goes: the same import for a port no row has (DuckDB's scan, the pushed filter,
    // the checks for rows the importer must judge, and the second read's search for quotes and blank
    // lines; no row returned, so no newline counted), and the rest: counting the newlines up to each
    // returned row.
    const none = await both(NODE, [SIDECAR, 'import', big, '--remote-port', '1']);
    console.log(`  breakdown: the scan with its checks and the search for quotes ${(none[0] / 1000).toFixed(2)} s (${(none[0] / anchor[0]).toFixed(2)}x of the anchor, which checks nothing); `
      + `counting the lines of the rows it returns ${((filtered[0] - none[0]) / 1000).toFixed(2)} s; the streaming reader parses every row (${(streamed[0] / 1000).toFixed(2)} s)`);
    if (onlyFiltered) return;
    // One warm pwsh: the module loaded and each command run once before the timed rounds.
    const script = `
$ErrorActionPreference = 'Stop'
Import-Module '${MODULE.replace(/'/g, "''")}'
$null = @(Import-Csv -LiteralPath '${small}'); $null = @(Import-PortReportLog -LiteralPath '${small}')
$sw = [System.Diagnostics.Stopwatch]::new()
foreach ($i in 1..${rounds}) {
  $sw.Restart(); $a = @(Import-Csv -LiteralPath '${small}'); $ta = $sw.Elapsed.TotalMilliseconds
  $sw.Restart(); $b = @(Import-PortReportLog -LiteralPath '${small}'); $tb = $sw.Elapsed.TotalMilliseconds
  if ($a.Count -ne ${cmdletRows} -or $b.Count -ne ${cmdletRows}) { throw "counts $($a.Count) $($b.Count)" }
  "round $ta $tb"
}`;
    const r = spawnSync(PWSH, ['-NoProfile', '-NonInteractive', '-Command', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`pwsh failed (${r.status}): ${r.stderr}`);
    const t = r.stdout.split('\n').filter((l) => l.startsWith('round ')).map((l) => l.split(' ').slice(1).map(Number));
    const csv = median(t.map((x) => x[0]));
    const cmdlet = median(t.map((x) => x[1]));
    console.log(`  @(Import-Csv) (anchor), warm pwsh: ${(cmdletRows / csv * 1000).toFixed(0)} objects/s; @(Import-PortReportLog): ${(cmdletRows / cmdlet * 1000).toFixed(0)} objects/s; ${(csv / cmdlet).toFixed(2)}x Import-Csv's speed; target >= 5x`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--duckdb-scan') await duckdbFilteredScan(process.argv[3], Number(process.argv[4]));
else if (process.argv[2] === '--split-floor') await splitFloor(process.argv[3]);
else await main();
