/**
 * The logger's status from its folder: the lock holder from the kernel's lock table (parsed from
 * literal /proc/locks text, and live with a real logger), its notes (Start, Stop and why, Gap).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flockHolders, loggerStatus } from '../../src/watch/status.js';
import { writeConnections } from '../helpers/logs.js';
import { startWatch } from '../helpers/watch.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'portreport-status-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('flockHolders', () => {
  const locks = [
    '1: FLOCK  ADVISORY  WRITE 4242 fe:00:11665414 0 EOF',
    '1: -> FLOCK  ADVISORY  WRITE 5151 fe:00:11665414 0 EOF',
    '2: POSIX  ADVISORY  WRITE 777 fe:00:11665414 0 EOF',
    '3: FLOCK  ADVISORY  WRITE 999 fe:00:11665415 0 EOF',
    '4: FLOCK  ADVISORY  WRITE 888 08:01:11665414 0 EOF',
  ].join('\n');
  it('takes the FLOCK holders of that device and inode, not waiters, POSIX locks or other files', () => {
    expect(flockHolders(locks, (0xfe << 8) | 0x00, 11665414)).toEqual([4242]);
    expect(flockHolders(locks, (0x08 << 8) | 0x01, 11665414)).toEqual([888]);
    expect(flockHolders(locks, 0x0801, 1)).toEqual([]);
  });
});

describe('loggerStatus', () => {
  it('names a running logger by its lock, then its clean stop and the reason', async () => {
    const logs = join(dir, 'logs');
    const w = startWatch(logs, ['--interval', '0.5', '--no-hash']);
    try {
      await w.nextFlush();
      const s = await loggerStatus(logs);
      expect(s).toMatchObject({ Running: true, ProcessId: w.child.pid, StopReason: null });
      expect(s.LastStart).not.toBeNull();
      expect(statSync(logs).isDirectory()).toBe(true);
    } finally {
      w.child.kill('SIGTERM');
      await w.exited;
    }
    const s = await loggerStatus(logs);
    expect(s.Running).toBe(false);
    expect(s.ProcessId).toBeNull();
    expect(s.LastStop).not.toBeNull();
    expect(s.StopReason).toMatch(/SIGTERM/);
  });

  it('gives the last Gap the logger wrote, and nothing for a Stop of an earlier run', async () => {
    const row = (t: string, ev: string, msg: string) => ({ Time: t, Event: ev, Message: msg, HostName: 'h' });
    writeConnections(dir, '20261102T000000Z-1-1', [
      row('2026-11-02T00:00:00.000Z', 'Start', 'portreport watch started (pid 1, interval 1000 ms)'),
      row('2026-11-02T01:00:00.000Z', 'Gap', 'PR_EVENTS_DROPPED: 12 close events lost'),
      row('2026-11-02T02:00:00.000Z', 'Stop', 'portreport watch stopped (SIGTERM)'),
      row('2026-11-02T03:00:00.000Z', 'Start', 'portreport watch started (pid 2, interval 1000 ms)'),
    ] as never);
    const s = await loggerStatus(dir);
    expect(s).toMatchObject({ Running: false, LastStart: '2026-11-02T03:00:00.000Z', LastStop: null, StopReason: null,
      LastGap: '2026-11-02T01:00:00.000Z', GapMessage: 'PR_EVENTS_DROPPED: 12 close events lost' });
  });
});
