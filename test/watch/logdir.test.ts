/**
 * The log directory on hostile ground (the logger runs as root; others can write the folders
 * around it): links in any component, planted files, a second logger, long durations.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogDir } from '../../src/watch/logdir.js';
import { openDirNoFollow } from '../../src/util/nofollow.js';
import { parseDuration, parsePeriod } from '../../src/cli/watch.js';
import { CONNECTIONS_LOG } from '../../src/watch/logformat.js';
import { readLogs, startWatch } from '../helpers/watch.js';
import { runSidecar } from '../helpers/procs.js';

const root = mkdtempSync(join(tmpdir(), 'portreport-ld-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A world-writable folder, as /tmp or a shared drop folder is. */
const shared = () => { const d = join(root, `shared${n++}`); mkdirSync(d); chmodSync(d, 0o1777); return d; };
/** A root-owned directory the attacker would like the logger to write into or chmod. */
const victim = () => { const d = join(root, `victim${n++}`); mkdirSync(d, { mode: 0o755 }); chmodSync(d, 0o755); return d; };
const isRoot = process.geteuid?.() === 0;

describe('LogDir.open', () => {
  it('refuses a symlink as the last component, with or without a trailing slash, and leaves the target alone', () => {
    for (const spelling of ['logs', 'logs/', 'logs/.', './x/../logs/']) {
      const s = shared();
      const v = victim();
      symlinkSync(v, join(s, 'logs'));
      mkdirSync(join(s, 'x'));
      expect(() => LogDir.open(join(s, spelling)), spelling).toThrow(/is a symbolic link; refusing to follow it/);
      expect(statSync(v).mode & 0o777, spelling).toBe(0o755);
      expect(readdirSync(v), spelling).toEqual([]);
    }
  });

  it('refuses a symlink in a parent component', () => {
    const s = shared();
    const v = victim();
    symlinkSync(v, join(s, 'mid'));
    expect(() => openDirNoFollow(join(s, 'mid', 'portreport'), true)).toThrow(/mid is a symbolic link/);
    expect(readdirSync(v)).toEqual([]);
  });

  it('refuses a directory others can write, and tightens one others can only read', () => {
    const s = shared();
    const open = join(s, 'logs');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(() => LogDir.open(open)).toThrow(/writable by others \(mode 777\)/);
    expect(statSync(open).mode & 0o777).toBe(0o777);
    chmodSync(open, 0o755);
    const warnings: string[] = [];
    LogDir.open(open, (m) => warnings.push(m)).close();
    expect(statSync(open).mode & 0o777).toBe(0o700);
    expect(warnings.join()).toMatch(/readable by others \(mode 755\); set to 0700/);
  });

  it.runIf(isRoot)('refuses a directory of another user', () => {
    const d = join(shared(), 'theirs');
    mkdirSync(d, { mode: 0o700 });
    chownSync(d, 65534, 65534);
    expect(() => LogDir.open(d)).toThrow(/belongs to uid 65534/);
  });

  it('lets one logger hold a directory; a second one is refused with the first one\'s pid', async () => {
    const logs = join(root, `locked${n++}`);
    const first = startWatch(logs, ['--interval', '0.2', '--no-hash']);
    await first.nextFlush();
    const second = runSidecar(['watch', '--log-path', logs, '--duration', '1', '--no-hash']);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`PR_LOG_LOCKED: another PortReport logger (pid ${first.child.pid}) is writing to ${logs}`);
    const before = readdirSync(logs).sort();
    await first.nextFlush();
    // The second one touched nothing: the first one's live files are all still there.
    expect(readdirSync(logs).filter((f) => before.includes(f)).sort()).toEqual(before);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const rows = readLogs(logs, 'connections').flatMap((f) => f.rows);
    expect(rows.at(0)?.Event).toBe('Start');
    expect(rows.at(-1)?.Event).toBe('Stop');
  });
});

describe('planted files in the log directory', () => {
  it('compresses, rotates and removes only files a logger wrote; a FIFO does not hang it', async () => {
    const logs = join(root, `planted${n++}`);
    mkdirSync(logs, { mode: 0o700 });
    const header = CONNECTIONS_LOG.header;
    const forged = `${header}2026-01-01T00:00:00.000Z,Start,,,,,,,,,,,,,,,,,,,,,,,,,h,forged\n`;
    const plant = (name: string, text: string, mode = 0o600) => { writeFileSync(join(logs, name), text, { mode }); chmodSync(join(logs, name), mode); };
    // A forged log with the wrong mode, one without our header, one stamped far in the future, a hard link, a FIFO.
    plant('portreport-connections-v1-20260101T000000000Z-1-0.csv', forged, 0o644);
    plant('portreport-connections-v1-20260101T000000000Z-1-1.csv', 'not,our,header\n');
    plant('portreport-connections-v1-99991231T235959999Z-1-0.csv', forged);
    writeFileSync(join(root, 'outside.csv'), forged, { mode: 0o600 });
    linkSync(join(root, 'outside.csv'), join(logs, 'portreport-connections-v1-20260101T000000000Z-1-2.csv'));
    expect(spawnSync('mkfifo', [join(logs, 'portreport-connections-v1-20260101T000000000Z-1-3.csv')]).status).toBe(0);
    if (isRoot) {
      plant('portreport-connections-v1-20260101T000000000Z-1-4.csv', forged);
      chownSync(join(logs, 'portreport-connections-v1-20260101T000000000Z-1-4.csv'), 65534, 65534);
    }
    const planted = readdirSync(logs).sort();
    const t0 = Date.now();
    // retain-count 1: every closed file beyond the newest would go, were it counted.
    const run = runSidecar(['watch', '--log-path', logs, '--duration', '1', '--no-hash', '--retain-count', '1']);
    expect(run.status, run.stderr).toBe(0);
    expect(Date.now() - t0).toBeLessThan(20_000);
    const after = readdirSync(logs);
    for (const p of planted) expect(after, p).toContain(p);
    expect(after.filter((f) => f.endsWith('.gz')).every((f) => !planted.includes(f.slice(0, -3)))).toBe(true);
    expect(readFileSync(join(logs, planted[0]), 'utf8')).toBe(forged);
    // And the logger's own logs are there and whole.
    expect(readLogs(logs, 'initial').filter((f) => f.file.endsWith('.gz')).length).toBe(1);
  });
});

describe('durations', () => {
  it('accepts long durations and refuses periods a timer cannot drive', () => {
    expect(parseDuration('duration', '25d', 0)).toBe(25 * 86_400_000);
    expect(() => parsePeriod('interval', '25d', 1000, 100)).toThrow(/--interval: "25d" is above the 24 h maximum/);
    expect(() => parsePeriod('interval', '0.01', 1000, 100)).toThrow(/below the 0.1 s minimum/);
    expect(() => parseDuration('duration', '9'.repeat(400), 0)).toThrow(/is not a duration/);
    expect(runSidecar(['watch', '--log-path', join(root, 'never'), '--interval', '25d']).stderr).toMatch(/above the 24 h maximum/);
  });

  it('runs for a 25-day --duration instead of stopping at once', async () => {
    const w = startWatch(join(root, `long${n++}`), ['--duration', '25d', '--interval', '0.2', '--no-hash']);
    await w.nextFlush();
    await new Promise((r) => setTimeout(r, 1500));
    expect(w.child.exitCode).toBe(null);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  });
});
