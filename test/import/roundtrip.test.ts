/**
 * Logs written by `portreport watch` import back to exactly the values that were logged, hostile
 * names and command lines included (commas, quotes, newlines, =HYPERLINK(...), ANSI escapes,
 * bytes that are not UTF-8); and bad input is reported per file while the rest is kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBytes } from '../../src/util/bytes.js';
import type { LogRecord, ProcessRecord } from '../../src/import/records.js';
import { FIXTURES, hostileNodeCopy, ndjson, runSidecar, spawnHostileListener, type Spawned } from '../helpers/procs.js';
import { startWatch } from '../helpers/watch.js';
import { sizeText } from '../../src/util/progress.js';
import { rawConnectionLine } from '../helpers/logs.js';
import { CONNECTION_LOG_COLUMNS } from '../../src/watch/logformat.js';

const DIR = Buffer.concat([Buffer.from('we,ird "dir"\n '), Buffer.from([0xff])]);
const FILE = Buffer.concat([Buffer.from('=HYPERLINK("x","y"),\x1b[31m'), Buffer.from([0x80])]);
const ARG = Buffer.concat([Buffer.from('@SUM(1) -x "a,b"\r\n\t\x1b]0;t\x07 '), Buffer.from([0xc3, 0x28])]);

const tmp = mkdtempSync(join(tmpdir(), 'portreport-rt-'));
const logs = join(tmp, 'logs');
let exe: ReturnType<typeof hostileNodeCopy>;
let proc: Spawned;

beforeAll(async () => {
  exe = hostileNodeCopy(DIR, FILE);
  proc = await spawnHostileListener(exe.path, [ARG]);
  const w = startWatch(logs, ['--interval', '0.5', '--no-hash']);
  await w.nextFlush();
  w.child.kill('SIGTERM');
  expect(await w.exited).toBe(0);
});

afterAll(() => {
  proc?.stop();
  exe?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe('round trip: watch -> logs -> import', () => {
  it('gives back name, path and command line byte for byte, from the initial and processes logs', () => {
    // Raw bytes cannot travel in argv as text: select by a wildcard on the name's printable start.
    const r = runSidecar(['import', logs, '--process', '=HYPERLINK(*']);
    expect(r.status).toBe(0);
    const recs = ndjson<(LogRecord | ProcessRecord) & { Utf16?: Record<string, number[]> }>(r.stdout);
    const expectedCmd = Buffer.concat([exe.path, Buffer.from(` ${FIXTURES}/listener.cjs `), ARG]);
    const sock = recs.find((x) => x.RecordType === 'LogRecord' && x.Event === 'Socket' && (x as LogRecord).LocalPort === proc.port) as LogRecord;
    const seen = recs.find((x) => x.RecordType === 'ProcessRecord' && x.ProcessId === proc.pid) as ProcessRecord;
    for (const rec of [sock, seen]) {
      expect(rec, JSON.stringify(recs.map((x) => [x.RecordType, x.Event]))).toBeDefined();
      expect(encodeBytes(rec.ProcessName!)).toEqual(FILE);
      expect(encodeBytes(rec.ExecutablePath!)).toEqual(exe.path);
      expect(encodeBytes(rec.CommandLine!)).toEqual(expectedCmd);
      // Readers that drop lone surrogates get the exact text from Utf16.
      expect(String.fromCharCode(...(rec as { Utf16?: Record<string, number[]> }).Utf16!.CommandLine)).toBe(rec.CommandLine);
    }
    // In the file itself, the formula is guarded: no cell starts with = + - @.
    const initial = readdirSync(logs).find((f) => f.startsWith('portreport-initial-'))!;
    const text = gunzipSync(readFileSync(join(logs, initial))).toString('latin1');
    expect(text).toContain(`'=HYPERLINK`);
    expect(text).not.toMatch(/(^|,)"?[=+@]/m);
  });
});

describe('bad input', () => {
  it('imports what comes before the cut of a truncated gzip, reports that file, and goes on with the others', () => {
    const conn = readdirSync(logs).find((f) => f.startsWith('portreport-connections-'))!;
    const whole = gunzipSync(readFileSync(join(logs, conn)));
    const many = Buffer.concat([whole, ...Array.from({ length: 300 }, (_, i) => Buffer.from(`${rawConnectionLine({ Time: '2026-01-01T00:00:00.000Z', Event: 'Start', HostName: 'h', Message: `row ${i}` })}\n`))]);
    const gz = gzipSync(many);
    const cut = join(tmp, 'portreport-connections-v1-cut.csv.gz');
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.7)));
    const ok = join(tmp, 'PR-PORTS-OK.log');
    writeFileSync(ok, readFileSync(join(FIXTURES, 'legacy', 'PR-PORTS-W2K-0705-0607-134404.log')));
    const r = runSidecar(['import', '--diagnostics', 'json', cut, ok]);
    expect(r.status).toBe(1);
    const diags = r.stderr.trim().split('\n').map((l) => JSON.parse(l));
    expect(diags.find((d) => d.Code === 'PR_IMPORT_TRUNCATED')).toMatchObject({ Level: 'error', Target: cut });
    const recs = ndjson<LogRecord>(r.stdout);
    // Exactly the whole rows before the cut: what a sync-flushed inflate of the prefix yields, up
    // to its last newline (the row the cut splits is not a row), each row the one written there.
    const prefix = gunzipSync(gz.subarray(0, Math.floor(gz.length * 0.7)), { finishFlush: constants.Z_SYNC_FLUSH });
    const before = prefix.subarray(0, prefix.lastIndexOf(0x0a) + 1).toString('latin1').split('\n').length - 2; // minus the header and the final ''
    const fromCut = recs.filter((x) => x.LogFile === cut);
    expect(before).toBeGreaterThan(100);
    expect(fromCut).toHaveLength(before);
    const written = many.toString('latin1').split('\n').slice(1, before + 1);
    expect(fromCut.map((x) => x.LogLine)).toEqual(written.map((_, i) => i + 2));
    expect(fromCut.at(-1)!.Message).toBe(/,h,(row \d+),*$/.exec(written.at(-1)!)![1]);
    expect(recs.filter((x) => x.LogFile === ok)).toHaveLength(3);
  });

  it('reports an unknown format and an unreadable file by name, keeping the good file', () => {
    const unknown = join(tmp, 'notes.txt');
    writeFileSync(unknown, 'hello\nworld\n');
    const dangling = join(tmp, 'PR-PORTS-GONE.log');
    symlinkSync(join(tmp, 'nowhere'), dangling);
    const good = join(FIXTURES, 'legacy', 'PR-PORTS-W2K-0705-0607-134404.log');
    const r = runSidecar(['import', '--diagnostics', 'json', unknown, dangling, good]);
    expect(r.status).toBe(1);
    const diags = r.stderr.trim().split('\n').map((l) => JSON.parse(l));
    expect(diags.filter((d) => d.Level === 'error').map((d) => [d.Code, d.Target])).toEqual([['PR_IMPORT_UNKNOWN_FORMAT', unknown], ['PR_IMPORT_UNREADABLE', dangling]]);
    expect(ndjson(r.stdout)).toHaveLength(3);
  });

  it('warns for a malformed row of our CSV and goes on; --strict stops at it', () => {
    const conn = readdirSync(logs).find((f) => f.startsWith('portreport-connections-'))!;
    const lines = gunzipSync(readFileSync(join(logs, conn))).toString('utf8').split('\n');
    lines.splice(2, 0, rawConnectionLine({ Time: '2026-01-01T00:00:00Z', Event: 'Close', Protocol: 'TCP', AddressFamily: 'IPv4', LocalAddress: '1.2.3.4', LocalPort: 'notaport',
      RemoteAddress: '1.2.3.5', RemotePort: 80, State: 'Closed', HostName: 'h' }), 'only,three,fields');
    const bad = join(tmp, 'portreport-connections-v1-bad.csv');
    writeFileSync(bad, lines.join('\n'));
    const r = runSidecar(['import', '--diagnostics', 'json', bad]);
    expect(r.status).toBe(0);
    const warn = r.stderr.trim().split('\n').map((l) => JSON.parse(l)).filter((d) => d.Level === 'warning');
    expect(warn.map((d) => d.Message)).toEqual([`${bad}:3: LocalPort: "notaport" is not a number`, `${bad}:4: row: expected ${CONNECTION_LOG_COLUMNS.length} fields, found 3`]);
    expect(ndjson(r.stdout).length).toBe(lines.filter((l) => l !== '').length - 3);
    const s = runSidecar(['import', '--strict', '--diagnostics', 'json', bad]);
    expect(s.status).toBe(1);
    expect(s.stderr).toMatch(/:3: LocalPort/);
  });

  it('reports progress on stderr (bytes read of total) for long imports', () => {
    const r = runSidecar(['import', '--diagnostics', 'json', logs], { ...process.env, PORTREPORT_PROGRESS_AFTER_MS: '0' });
    const prog = r.stderr.trim().split('\n').map((l) => JSON.parse(l)).filter((d) => d.Level === 'progress');
    expect(prog.length).toBeGreaterThan(0);
    // For people: an activity, sizes as people read them, records so far, the percentage.
    expect(prog[prog.length - 1]).toMatchObject({ Activity: 'Importing logs', Target: '100' });
    expect(prog[prog.length - 1].Message).toMatch(/^(\d+(\.\d)? (bytes|KB|MB)) of \1 read, \d+ records \(100%\)$/);
    expect(sizeText(223412224)).toBe('213.1 MB');
    expect(sizeText(537965210)).toBe('513.0 MB');
    expect(sizeText(512)).toBe('512 bytes');
  });
});
