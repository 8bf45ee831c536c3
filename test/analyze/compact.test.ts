/**
 * Compaction to Parquet: closed logs only, owner-only files, never through a symlink, and analyses
 * of the compacted folder answer exactly as they did over the CSV logs, hostile names included.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outbound, routine, seen, writeConnections, writeProcesses, type Who } from '../helpers/logs.js';
import { resultsOf, tempDir } from '../helpers/analyze.js';
import { ndjson, runSidecar } from '../helpers/procs.js';
import { compactable, compactLogs } from '../../src/analyze/compact.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => { t = tempDir(); });
afterEach(() => t.cleanup());

const ODD: Who = { pid: 3004, name: 'bad\udcff,"q"', path: '/srv/na\u00efve/\u001b[31mx', user: '=cmd' };

function logs(): void {
  const r = routine(6);
  writeConnections(t.dir, '20261102T000000Z-1-1', r.conns.slice(0, 60), true);
  writeConnections(t.dir, '20261102T060000Z-1-2', [...r.conns.slice(60), outbound(7000, ODD, '192.0.2.1', 443, 41000)], true);
  writeConnections(t.dir, '20261102T120000Z-1-3', [outbound(9000, ODD, '192.0.2.2', 443, 41001)]); // the open file
  writeProcesses(t.dir, '20261102T000000Z-1-1', [...r.procs, seen(10, ODD, ['/tmp/x.so'])], true);
}

test('closed logs become owner-only Parquet twins; analyses answer exactly as before', async () => {
  logs();
  const before = await resultsOf([t.dir], 'stream');
  const files = compactable([t.dir], false, () => {});
  expect(files.map((f) => f.split('/').pop())).toEqual([
    'portreport-connections-v1-20261102T000000Z-1-1.csv.gz', 'portreport-connections-v1-20261102T060000Z-1-2.csv.gz',
    'portreport-processes-v1-20261102T000000Z-1-1.csv.gz']);
  const diags: Diagnostic[] = [];
  const done = await compactLogs(files, { all: false, deleteSource: false, strict: false }, (d) => diags.push(d));
  expect(diags).toEqual([]);
  expect(done.map((d) => d.Rows)).toEqual([60, before.get('hosts')![0].Events as number - 60 - 1, 4]);
  for (const d of done) expect(statSync(d.Parquet).mode & 0o777).toBe(0o600);
  expect(readdirSync(t.dir).filter((n) => n.startsWith('.'))).toEqual([]);
  // The folder now reads the Parquet twins (not the CSVs twice), with the open CSV.
  const after = await resultsOf([t.dir], 'duckdb');
  expect(Object.fromEntries(after)).toEqual(Object.fromEntries(before));
  const odd = after.get('processes')!.find((r) => r.ProcessName === ODD.name);
  expect(odd).toMatchObject({ ExecutablePath: ODD.path, UserName: ODD.user, Connections: 2 });
});

test('the sidecar: --delete-source, --dry-run, a truncated gzip left alone with an error, stream engine refused', () => {
  logs();
  const gz = join(t.dir, 'portreport-connections-v1-20261102T060000Z-1-2.csv.gz');
  const whole = readFileSync(gz);
  writeFileSync(gz, whole.subarray(0, whole.length - 40));
  let r = runSidecar(['compact', t.dir, '--dry-run', '--format', 'ndjson']);
  expect(r.status).toBe(0);
  expect(ndjson(r.stdout)).toHaveLength(3);
  expect(readdirSync(t.dir).some((n) => n.endsWith('.parquet'))).toBe(false);

  r = runSidecar(['compact', t.dir, '--delete-source', '--format', 'ndjson']);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`${gz}: not compacted, left as it is: the gzip stream ends early`);
  const done = ndjson<{ Source: string; SourceDeleted: boolean }>(r.stdout);
  expect(done).toHaveLength(2);
  for (const d of done) expect(existsSync(d.Source)).toBe(false);
  expect(existsSync(gz)).toBe(true);

  r = runSidecar(['summary', t.dir, '--engine', 'stream']);
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('need the DuckDB engine');
  // The cut gzip is read up to its cut and said so: the summary comes, with exit code 1 (an input
  // was not whole), so an unattended task never takes it for a clean run.
  r = runSidecar(['summary', t.dir, '--report', 'process', '--format', 'ndjson']);
  expect(r.status, r.stderr).toBe(1);
  expect(r.stderr).toContain('PR_IMPORT_TRUNCATED');
  expect(ndjson(r.stdout).length).toBeGreaterThan(2);
});

test('logs DuckDB\'s Latin-1 refuses (bytes 0x80-0x9F) and files named like globs compact, and answer as before', async () => {
  const c1: Who = { pid: 3005, name: 'cyr\udcd0\udc9f\udc81', path: '/opt/\udc85/x', user: 'u' };
  const r = routine(2);
  writeConnections(t.dir, '20261102T000000Z-1-1', [...r.conns, outbound(100, c1, '192.0.2.5', 443, 41002)], true);
  writeConnections(t.dir, '20261102T000000Z-1-*', r.conns.slice(0, 4), true);
  const before = await resultsOf([t.dir], 'stream');
  const diags: Diagnostic[] = [];
  const done = await compactLogs(compactable([t.dir], false, () => {}), { all: false, deleteSource: false, strict: false }, (d) => diags.push(d));
  expect(diags).toEqual([]);
  expect(done.map((d) => d.Rows).sort((a, b) => a - b)).toEqual([4, r.conns.length + 1]);
  expect(Object.fromEntries(await resultsOf([t.dir], 'duckdb'))).toEqual(Object.fromEntries(before));
});

test('after --delete-source, import reads the Parquet twins: the same records, bytes and warnings, line for line', () => {
  logs();
  // A plain log with a logger note, a bad number, a row of the wrong width and hostile bytes.
  const plain = writeConnections(t.dir, '20261102T180000Z-1-4', [outbound(9500, ODD, '192.0.2.3', 443, 41005)]);
  const row = readFileSync(plain, 'latin1').split('\n')[1];
  appendFileSync(plain, row.replace(',443,', ',4x3,') + '\n' + 'a,b,c\n' + row.replace('192.0.2.3', '192.0.2.4') + '\n', 'latin1');
  const before = runSidecar(['import', t.dir]);
  expect(before.status, before.stderr).toBe(0);
  const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.includes('PR_IMPORT_BAD')).map((l) => l.replace(/\.csv(\.gz)?\b/g, '.parquet')).sort();
  expect(warnings(before.stderr)).toHaveLength(2);
  // Filtered: the twin's scan takes the filter (pushdown.ts) and must keep every row it takes.
  const FILTERS = [['--remote-port', '443'], ['--local-port', '41005'], ['--process', '*'], ['--after', '2026-11-02T00:00:00.5Z', '--before', '2026-11-03T00:00:00Z'], ['--user', 'nobody-here']];
  const filteredBefore = FILTERS.map((f) => runSidecar(['import', t.dir, ...f]));

  const r = runSidecar(['compact', t.dir, '--all', '--delete-source', '--format', 'ndjson']);
  expect(r.status, r.stderr).toBe(0);
  expect(ndjson(r.stdout)).toHaveLength(5);
  expect(readdirSync(t.dir).filter((n) => n.includes('.csv'))).toEqual([]);

  const after = runSidecar(['import', t.dir]);
  expect(after.status, after.stderr).toBe(0);
  const norm = (b: Buffer) => ndjson<{ LogFile: string }>(b).map((x) => ({ ...x, LogFile: x.LogFile.replace(/\.csv(\.gz)?$/, '.parquet') }));
  const a = norm(after.stdout);
  expect(a.length).toBeGreaterThan(70);
  expect(a).toEqual(norm(before.stdout));
  expect(warnings(after.stderr)).toEqual(warnings(before.stderr));
  for (const [i, f] of FILTERS.entries()) {
    const x = runSidecar(['import', t.dir, ...f]);
    expect(norm(x.stdout), f.join(' ')).toEqual(norm(filteredBefore[i].stdout));
    expect(warnings(x.stderr), f.join(' ')).toEqual(warnings(filteredBefore[i].stderr));
  }
  expect(filteredBefore.map((r) => ndjson(r.stdout).length > 0)).toEqual([true, true, true, true, false]);
  // A twin beside its CSV is not read twice: import takes the CSV while it is there.
  writeConnections(t.dir, '20261102T180000Z-1-4', [outbound(9500, ODD, '192.0.2.3', 443, 41005)]);
  const both = runSidecar(['import', t.dir]);
  expect(ndjson(both.stdout).filter((x) => (x.LogFile as string).includes('T180000Z'))).toHaveLength(1);
});
