/**
 * What a log directory says about its logger, read without disturbing it: who holds the
 * directory's lock now (the kernel's own table, /proc/locks: a FLOCK on the directory's inode,
 * never a lock taken to test it, which could make a starting logger fail), the holder's pid and
 * start from `portreport.lock`, the newest write, and the logger's own notes in its newest
 * connections log: when it last started, stopped (and why) and lost events (Gap).
 */
import { closeSync, createReadStream, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { readOurLog } from '../import/ourlogs.js';
import type { ImportedRecord } from '../import/records.js';
import { LOCK_NAME, LogDirError, openLogDirNoFollow } from './logdir.js';
import { C, libc } from '../../native/linux/libc.js';

export interface LoggerStatus {
  RecordType: 'LoggerStatus';
  LogPath: string;
  /** A logger holds the directory's lock now. */
  Running: boolean;
  /** The lock holder's pid (null when none holds it). */
  ProcessId: number | null;
  /** When the holder (or the last holder) took the lock, from portreport.lock. */
  LockedSince: string | null;
  LastWrite: string | null;
  LastStart: string | null;
  LastStop: string | null;
  StopReason: string | null;
  LastGap: string | null;
  GapMessage: string | null;
}

/** The pids holding a FLOCK on the file of device `dev`, inode `ino` (lines of /proc/locks). */
export function flockHolders(procLocks: string, dev: number, ino: number): number[] {
  // glibc's encoding of dev_t (gnu_dev_major/minor); /proc/locks prints MAJOR:MINOR in hex.
  const major = ((dev >>> 8) & 0xfff) | Math.floor(dev / 2 ** 32) & ~0xfff;
  const minor = (dev & 0xff) | ((dev >>> 12) & ~0xff);
  const out: number[] = [];
  for (const line of procLocks.split('\n')) {
    // "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234567 0 EOF" (a "->" marks a waiter, not a holder)
    const m = /^\d+:\s+FLOCK\s+\S+\s+\S+\s+(\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/.exec(line);
    if (m && parseInt(m[2], 16) === major && parseInt(m[3], 16) === minor && Number(m[4]) === ino) out.push(Number(m[1]));
  }
  return out;
}

const MAX_NOTES_BYTES = 256 << 20;

/** Read-only access to a log folder, never through a link: a file's descriptor (or -1) and the names. */
interface FolderReader { names: string[]; open(name: string): number; close(): void }

function linuxReader(path: string): FolderReader & { dev: number; ino: number } {
  const { fd } = openLogDirNoFollow(path, false);
  const c = libc();
  const st = fstatSync(fd);
  return {
    dev: st.dev, ino: st.ino,
    names: readdirSync(`/proc/self/fd/${fd}`),
    open: (name) => c.openat(fd, name, C.O_RDONLY | C.O_NOFOLLOW | C.O_NONBLOCK | C.O_CLOEXEC, 0),
    close: () => { c.close(fd); },
  };
}

/** Windows: the same questions by path, each file lstat'ed first (a link is not read). */
function windowsReader(path: string): FolderReader {
  if (!lstatSync(path).isDirectory()) throw new LogDirError('PR_LOG_DIR', `${path} is not a directory`);
  return {
    names: readdirSync(path),
    open: (name) => { try { return lstatSync(join(path, name)).isFile() ? openSync(join(path, name), 'r') : -1; } catch { return -1; } },
    close: () => {},
  };
}

/**
 * The logger's status for one directory; throws LogDirError when the directory cannot be opened
 * safely. On Windows the lock table is not read (whether the service runs is the service's state:
 * Get-PortReporterStatus asks the Service Control Manager), the rest is the same.
 */
export async function loggerStatus(path: string): Promise<LoggerStatus> {
  const windows = process.platform === 'win32';
  const dir = windows ? windowsReader(path) : linuxReader(path);
  try {
    let holders: number[] = [];
    if (!windows) {
      const { dev, ino } = dir as ReturnType<typeof linuxReader>;
      try { holders = flockHolders(readFileSync('/proc/locks', 'latin1'), dev, ino); } catch { holders = []; }
    }
    let lockPid: number | null = null;
    let since: string | null = null;
    const lfd = dir.open(LOCK_NAME);
    if (lfd >= 0) {
      try {
        const b = Buffer.alloc(128);
        const m = /^(\d+)\r?\n(\S+)\r?\n/.exec(b.subarray(0, readSync(lfd, b, 0, b.length, 0)).toString('latin1'));
        if (m) { lockPid = Number(m[1]); since = m[2]; }
      } finally { closeSync(lfd); }
    }
    const names = dir.names.filter((n) => /^portreport-(initial|connections|processes)-v1-.*\.csv(\.gz)?$/.test(n));
    let lastWrite = 0;
    for (const n of names) {
      const nfd = dir.open(n);
      if (nfd < 0) continue;
      try { lastWrite = Math.max(lastWrite, fstatSync(nfd).mtimeMs); } finally { closeSync(nfd); }
    }
    const status: LoggerStatus = {
      RecordType: 'LoggerStatus', LogPath: path, Running: holders.length > 0,
      ProcessId: holders.length ? (lockPid !== null && holders.includes(lockPid) ? lockPid : holders[0]) : windows ? lockPid : null,
      LockedSince: since, LastWrite: lastWrite ? new Date(lastWrite).toISOString() : null,
      LastStart: null, LastStop: null, StopReason: null, LastGap: null, GapMessage: null,
    };
    // The notes of the newest connections log (names sort by time).
    const newest = names.filter((n) => n.startsWith('portreport-connections-')).sort().pop();
    if (newest) await readNotes(dir.open(newest), newest, status);
    return status;
  } finally {
    dir.close();
  }
}

async function readNotes(nfd: number, name: string, status: LoggerStatus): Promise<void> {
  if (nfd < 0 || !fstatSync(nfd).isFile()) { if (nfd >= 0) closeSync(nfd); return; }
  let input: Readable = createReadStream('', { fd: nfd });
  if (name.endsWith('.gz')) {
    const gunzip = createGunzip({ maxOutputLength: MAX_NOTES_BYTES });
    input.on('error', (e) => gunzip.destroy(e));
    input = input.pipe(gunzip);
  }
  const seen = (r: ImportedRecord) => {
    if (r.RecordType !== 'LogRecord') return;
    if (r.Event === 'Start') { status.LastStart = r.Time; }
    else if (r.Event === 'Stop') { status.LastStop = r.Time; status.StopReason = /\((.*)\)\s*$/.exec(r.Message ?? '')?.[1] ?? r.Message; }
    else if (r.Event === 'Gap') { status.LastGap = r.Time; status.GapMessage = r.Message; }
  };
  // The logger's own file: a bad row or a cut gzip costs only the notes after it.
  try { await readOurLog(input, name, seen, () => {}, false); } catch { /* notes up to here */ }
  // A Stop older than the last Start belongs to an earlier run.
  if (status.LastStop && status.LastStart && status.LastStop < status.LastStart) { status.LastStop = null; status.StopReason = null; }
}
