/**
 * Imports of files an attacker hands over: a stray quote, an endless line, decompression bombs,
 * FIFOs and links in a folder, a PR-PORTS log that names a PR-PIDS file outside its folder, garbage
 * after a header. Each is an error for that line or file, bounded in time and memory; the rest of
 * the input is kept.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECTIONS_LOG, connectionNote, csvRows } from '../../src/watch/logformat.js';
import { FIXTURES, ndjson, runSidecar } from '../helpers/procs.js';

const root = mkdtempSync(join(tmpdir(), 'portreport-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const folder = () => { const d = join(root, `f${n++}`); mkdirSync(d); return d; };
const rows = (count: number, from = 0) => Buffer.concat(Array.from({ length: count }, (_, i) =>
  csvRows([connectionNote(new Date(Date.UTC(2026, 0, 1, 0, 0, 0, from + i)), 'Start', 'h', `row ${from + i}`)], CONNECTIONS_LOG.text)));
const log = (body: Buffer | string) => Buffer.concat([Buffer.from(CONNECTIONS_LOG.header), Buffer.from(body)]);
const name = (i: number) => `portreport-connections-v1-20260101T00000000${i}Z-1-0.csv`;

function importJson(paths: string[]) {
  const t0 = Date.now();
  const r = runSidecar(['import', ...paths, '--diagnostics', 'json']);
  const diags = r.stderr.trim().split('\n').filter((l) => l).map((l) => JSON.parse(l) as Record<string, string>);
  return { ...r, records: ndjson<Record<string, unknown>>(r.stdout), diags, ms: Date.now() - t0 };
}
/** Import with --verbose-like accounting: the sidecar reports its peak memory in PR_IMPORT_DONE. */
function peakMb(paths: string[]): { mb: number; out: ReturnType<typeof importJson> } {
  const out = importJson(paths);
  const done = out.diags.find((d) => d.Code === 'PR_IMPORT_DONE');
  return { mb: Number(/peak memory (\d+) MB/.exec(done?.Message ?? '')?.[1] ?? NaN), out };
}

describe('import on hostile files', () => {
  it('an unterminated quote costs one record: the 20,000 rows after it are kept, in linear time', () => {
    const d = folder();
    writeFileSync(join(d, name(1)), log(Buffer.concat([rows(10), Buffer.from('2026-01-01T00:00:00.000Z,Start,"open\n'), rows(20_000, 10)])));
    const r = importJson([d]);
    expect(r.status).toBe(0);
    expect(r.records.length).toBe(20_010);
    const bad = r.diags.filter((x) => x.Code === 'PR_IMPORT_BAD_CSV');
    expect(bad.length).toBe(1);
    expect(bad[0].Message).toContain(`${join(d, name(1))}:12: `);
    expect(r.ms).toBeLessThan(15_000);
  });

  it('a 20 MB line is reported and skipped; the rows after it are kept', () => {
    const d = folder();
    writeFileSync(join(d, name(1)), log(Buffer.concat([rows(5), Buffer.alloc(20 << 20, 'x'), Buffer.from('\n'), rows(5, 5)])));
    const { mb, out } = peakMb([d]);
    expect(out.records.length).toBe(10);
    expect(out.diags.some((x) => x.Code === 'PR_IMPORT_BAD_CSV' && /:7: a line is longer than/.test(x.Message))).toBe(true);
    expect(mb).toBeLessThan(512);
  });

  it('decompression bombs fail their own file only, within bounded memory', () => {
    const d = folder();
    // 256 MiB of zeros in about 250 KB: ours (with our header) and one named like a PR-PIDS log.
    const zeros = Buffer.alloc(256 << 20);
    writeFileSync(join(d, 'portreport-connections-v1-20260101T000000009Z-1-0.csv.gz'), gzipSync(Buffer.concat([log(rows(3)), zeros])));
    writeFileSync(join(d, 'PR-PIDS-BOMB-0705-0607-134404.log.gz'), gzipSync(zeros));
    writeFileSync(join(d, name(1)), log(rows(7)));
    const { mb, out } = peakMb([d]);
    expect(out.status).toBe(1); // a failed file is exit 1 at the end
    const errs = out.diags.filter((x) => x.Code === 'PR_IMPORT_TOO_LARGE').map((x) => x.Message);
    expect(errs.length, JSON.stringify(out.diags)).toBe(2);
    expect(errs.join()).toMatch(/decompression bomb/);
    expect(out.records.length).toBe(10); // 7 good rows, and the bomb's 3 rows before the zeros
    expect(mb).toBeLessThan(512);
  });

  it('reads only regular files: a FIFO or a link in a folder is skipped with a warning, a FIFO given is an error', () => {
    const d = folder();
    writeFileSync(join(d, name(1)), log(rows(4)));
    expect(spawnSync('mkfifo', [join(d, name(2))]).status).toBe(0);
    writeFileSync(join(root, 'secret.csv'), log(rows(1, 100)));
    symlinkSync(join(root, 'secret.csv'), join(d, name(3)));
    const r = importJson([d, join(d, name(2))]);
    expect(r.ms).toBeLessThan(15_000);
    expect(r.records.length).toBe(4);
    const notFile = r.diags.filter((x) => x.Code === 'PR_IMPORT_NOT_A_FILE');
    expect(notFile.map((x) => x.Level).sort()).toEqual(['error', 'warning', 'warning']);
  });

  it('joins a PR-PORTS log only with a PR-PIDS file in its own folder', () => {
    const outside = folder();
    const d = join(folder(), 'logs');
    mkdirSync(d);
    copyFileSync(join(FIXTURES, 'legacy', 'PR-PIDS-SERVER1-0705-0607-134404.log'), join(outside, 'PR-PIDS-secret.log'));
    const ports = 'Port Reporter Version 1.01 Log File - Port usage log\r\nCheck PR-PIDS-../../' + outside.split('/').pop() + '/PR-PIDS-secret.log for corresponding process data\r\n' +
      'Log format:\r\ndate,time,protocol,local port,local IP address,remote port,remote IP address,PID,module,user context\r\n' +
      '05/7/6,13:44:4,TCP,3389,0.0.0.0,,0.0.0.0,1096,svchost.exe,<NT AUTHORITY\\SYSTEM>\r\n';
    writeFileSync(join(d, 'PR-PORTS-X-0705-0607-134404.log'), ports, 'latin1');
    const r = importJson([d]);
    expect(r.records.length).toBe(1);
    expect(r.records[0].ExecutablePath ?? null).toBe(null); // nothing joined from outside
    expect(r.diags.some((x) => x.Code === 'PR_IMPORT_NO_PIDS')).toBe(true);
  });

  it('reports every PR-PORTS line that is neither header nor row, also under --strict', () => {
    const d = folder();
    const text = 'Port Reporter Version 1.01 Log File - Port usage log\r\nLog format:\r\ndate,time,protocol,local port,local IP address,remote port,remote IP address\r\n' +
      'garbage here\r\nX5/7/6,13:44:4,TCP,135,0.0.0.0,,0.0.0.0\r\n05/7/6,13:44:4,TCP,135,0.0.0.0,,0.0.0.0\r\n';
    writeFileSync(join(d, 'PR-PORTS-W-0705-0607-134404.log'), text, 'latin1');
    const r = importJson([d]);
    expect(r.records.length).toBe(1);
    expect(r.diags.filter((x) => x.Code === 'PR_IMPORT_BAD_ROW').map((x) => /:(\d+): row/.exec(x.Message)?.[1])).toEqual(['4', '5']);
    const strict = runSidecar(['import', d, '--strict']);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/:4: row: neither a Port Reporter 1.x header line nor a row/);
  });
});
