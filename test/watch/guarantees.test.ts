/**
 * The guarantees docs/logs.md makes that had no test of their own: a read-only disk (a real tmpfs
 * remounted read-only), the pending-row cap and PR_LOG_DROPPED with the exact count, retention by
 * --retain-size, and the log folder's owner and mode rules. Needs root for the mounts and chown;
 * CI runs as root, so there nothing here may be skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogDir, LogDirError } from '../../src/watch/logdir.js';
import { DEFAULT_POLICY, LogStream } from '../../src/watch/logstream.js';
import { CONNECTIONS_LOG, connectionNote, csvRows } from '../../src/watch/logformat.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';

const root = process.getuid?.() === 0;
const need = (ok: boolean, what: string) => { if (!ok && process.env.CI) throw new Error(`cannot ${what} here, and CI must run this test`); return ok; };
const dir = mkdtempSync(join(tmpdir(), 'portreport-guarantees-'));
const mnt = join(dir, 'mnt');
let mounted = false;

beforeAll(() => {
  mkdirSync(mnt);
  mounted = root && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]).status === 0;
});
afterAll(() => {
  if (mounted) spawnSync('umount', ['-l', mnt]);
  rmSync(dir, { recursive: true, force: true });
});

/** n rows, each naming its number, of about 100 bytes. */
const rows = (from: number, n: number) => csvRows(Array.from({ length: n }, (_, i) => connectionNote(new Date(Date.UTC(2026, 0, 1)), 'Warning', 'h', `row ${from + i} ${'x'.repeat(60)}`)), CONNECTIONS_LOG.text);
const numbers = (text: string) => [...text.matchAll(/row (\d+) /g)].map((m) => Number(m[1]));
const remount = (mode: 'ro' | 'rw') => expect(spawnSync('mount', ['-o', `remount,${mode}`, mnt]).status).toBe(0);

describe('a read-only disk', () => {
  it('is one error, rows held up to the cap, the oldest dropped and counted exactly, then written after an Error row', async (ctx) => {
    if (!need(mounted, 'mount a tmpfs')) ctx.skip();
    const path = join(mnt, 'logs');
    const d = LogDir.open(path);
    const reports: Diagnostic[] = [];
    const cap = 20 * 1024;
    // Files rotate after each flush here, so none is open for writing when the disk turns read-only
    // (the kernel refuses a read-only remount while one is).
    const s = new LogStream(d, CONNECTIONS_LOG, { ...DEFAULT_POLICY, gzip: false, maxBytes: 500, maxPendingBytes: cap, maxAgeMs: 3600_000 }, (x) => reports.push(x));
    s.append(rows(0, 10), 10);
    expect(s.flush()).toBe(true);
    remount('ro');
    let t = Date.now();
    // 1,000 rows of about 100 bytes while nothing can be written: about 100 KB against a 20 KB cap.
    for (let i = 0; i < 100; i++) {
      s.append(rows(10 + i * 10, 10), 10);
      s.flush(new Date(t += 100));
    }
    const errors = reports.filter((r) => r.Level === 'error');
    expect(errors.map((e) => e.Code)).toEqual(['PR_LOG_CREATE']);
    expect(errors[0].Message).toMatch(/EROFS/);
    remount('rw');
    expect(s.flush(new Date(t += 120_000))).toBe(true);
    await s.close();
    d.close();
    const files = readdirSync(path).sort();
    expect(files).toHaveLength(2);
    const resumed = readFileSync(join(path, files[1]), 'latin1').split('\n');
    expect(resumed[1]).toMatch(/,Error,.*cannot create a log file.*EROFS/);
    const dropped = Number(/PR_LOG_DROPPED: (\d+) rows were dropped/.exec(resumed[2])?.[1]);
    // Exactly the oldest rows went: those kept are the newest, contiguous to the last one.
    const kept = numbers(resumed.slice(3).join('\n'));
    expect(kept.length + dropped).toBe(1000);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 10 + dropped + i));
    expect(kept.length * 100).toBeLessThanOrEqual(cap + 1200);
    expect(numbers(readFileSync(join(path, files[0]), 'latin1'))).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });
});

describe('retention by size', () => {
  it('removes the oldest closed files once a log holds more than --retain-size', async () => {
    const path = join(dir, 'retain', 'logs');
    const d = LogDir.open(path);
    const reports: Diagnostic[] = [];
    // Files of about 2 KB (plain, so sizes are known); keep at most 5 KB of closed files.
    const s = new LogStream(d, CONNECTIONS_LOG, { ...DEFAULT_POLICY, gzip: false, maxBytes: 2048, retainBytes: 5000, retainCount: 1000 }, (x) => reports.push(x));
    for (let i = 0; i < 400; i++) { s.append(rows(i, 1), 1); s.flush(); }
    await s.close();
    d.close();
    expect(reports).toEqual([]);
    const files = readdirSync(path).filter((f) => f.endsWith('.csv')).sort();
    const total = files.reduce((n, f) => n + statSync(join(path, f)).size, 0);
    expect(total).toBeLessThanOrEqual(5000);
    expect(files.length).toBe(2);
    // What is left is the newest: the last row written is in the last file, and nothing older than the first kept file survives.
    const kept = files.flatMap((f) => numbers(readFileSync(join(path, f), 'latin1')));
    expect(kept.at(-1)).toBe(399);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 400 - kept.length + i));
    expect(kept.length).toBeLessThan(400);
  });
});

describe('the log folder', () => {
  it('is tightened to 0700 when others can only read it, and refused when it belongs to another user', (ctx) => {
    if (!need(root, 'chown as root')) ctx.skip();
    const readable = join(dir, 'readable');
    mkdirSync(readable, { mode: 0o755 });
    chmodSync(readable, 0o755);
    const warnings: string[] = [];
    LogDir.open(readable, (w) => warnings.push(w)).close();
    expect(statSync(readable).mode & 0o777).toBe(0o700);
    expect(warnings).toHaveLength(1);

    const theirs = join(dir, 'theirs');
    mkdirSync(theirs, { mode: 0o700 });
    chownSync(theirs, 65534, 65534);
    let err: unknown;
    try { LogDir.open(theirs).close(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(LogDirError);
    expect((err as LogDirError).code).toBe('PR_LOG_DIR_OWNER');
    expect((err as LogDirError).message).toMatch(/belongs to uid 65534/);
    expect(statSync(theirs).uid).toBe(65534);
    expect(readdirSync(theirs)).toEqual([]);
  });
});
