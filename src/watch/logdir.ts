/**
 * The log directory, held open by a file descriptor for the logger's life. Every component of its
 * path is opened with openat(O_DIRECTORY|O_NOFOLLOW) from the root (created 0700 where missing), so
 * no spelling of the path (trailing slash, `..`, a link in a parent) reaches a symlink's target.
 * It is refused when it belongs to someone else or when others could write into it (they could
 * plant files); a directory only readable by others is tightened to 0700. An exclusive lock
 * (flock on the directory's descriptor, dropped by the kernel when the logger dies; the holder's
 * pid in `portreport.lock`) keeps one logger per directory. Files are created with openat(O_CREAT|O_EXCL|O_NOFOLLOW, 0600) relative to the
 * descriptor, and only files proven to be a logger's own (owns()) are ever compressed or deleted.
 */
import { closeSync, fstatSync, ftruncateSync, readdirSync, readSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { C, libc } from '../../native/linux/libc.js';
import type { LogFolder } from './folder.js';
import { errnoText } from '../util/errno.js';
import { NoFollowError, openDirNoFollow } from '../util/nofollow.js';

export class LogDirError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export const LOCK_NAME = 'portreport.lock';

const myUid = () => process.geteuid?.() ?? 0;

/** The log directory opened without following a link (util/nofollow.ts), its failures as LogDirError. */
export function openLogDirNoFollow(path: string, create: boolean): { fd: number; created: boolean } {
  try {
    return openDirNoFollow(path, create, 'log directory');
  } catch (e) {
    if (e instanceof NoFollowError) throw new LogDirError(e.reason === 'symlink' ? 'PR_LOG_SYMLINK' : 'PR_LOG_DIR', e.message);
    throw e;
  }
}

export class LogDir implements LogFolder {
  private constructor(readonly path: string, readonly fd: number) {}

  /** Open (creating it 0700 when missing). Throws LogDirError with a message naming the path. */
  static open(path: string, warn: (msg: string) => void = () => {}): LogDir {
    const { fd } = openLogDirNoFollow(path, true);
    const shown = resolve(path);
    const fail = (code: string, msg: string): never => { libc().close(fd); throw new LogDirError(code, msg); };
    const st = fstatSync(fd);
    if (st.uid !== myUid()) fail('PR_LOG_DIR_OWNER', `log directory ${shown} belongs to uid ${st.uid}, not to this user (${myUid()}); refusing to log there`);
    if ((st.mode & 0o022) !== 0) {
      fail('PR_LOG_DIR_UNSAFE', `log directory ${shown} is writable by others (mode ${(st.mode & 0o777).toString(8)}): they could plant or swap files in it; refusing to log there (make it 0700, or give a new folder)`);
    }
    if ((st.mode & 0o077) !== 0) {
      libc().fchmod(fd, 0o700);
      warn(`log directory ${shown} was readable by others (mode ${(st.mode & 0o777).toString(8)}); set to 0700`);
    }
    return new LogDir(shown, fd);
  }

  /**
   * Take the directory's exclusive lock for this process's life (flock on the directory's own
   * descriptor: the kernel drops it when the logger dies) and write our pid and start time into
   * `portreport.lock`, which anyone may read. Throws PR_LOG_LOCKED, naming the holder's pid, when
   * another logger holds it.
   */
  lock(): void {
    const c = libc();
    if (c.flock(this.fd, C.LOCK_EX | C.LOCK_NB) < 0) {
      const holder = this.readLockPid();
      throw new LogDirError('PR_LOG_LOCKED', `another PortReport logger${holder ? ` (pid ${holder})` : ''} is writing to ${this.path}; stop it first, or give another log directory`);
    }
    const fd = c.openat(this.fd, LOCK_NAME, C.O_WRONLY | C.O_CREAT | C.O_NOFOLLOW | C.O_NONBLOCK | C.O_CLOEXEC, 0o600);
    if (fd < 0) throw new LogDirError('PR_LOG_LOCK', `cannot write ${this.path}/${LOCK_NAME}: ${errnoText(c.errno())}`);
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.uid !== myUid()) throw new LogDirError('PR_LOG_LOCK', `${this.path}/${LOCK_NAME} is not a regular file of this user; refusing to use it`);
      ftruncateSync(fd, 0);
      writeSync(fd, `${process.pid}\n${new Date().toISOString()}\n`, 0);
    } finally { c.close(fd); }
  }

  /** The pid in `portreport.lock` (the logger holding, or last holding, the directory). */
  private readLockPid(): number | null {
    const fd = this.openRead(LOCK_NAME);
    if (fd < 0) return null;
    try {
      const b = Buffer.alloc(64);
      const n = readSync(fd, b, 0, b.length, 0);
      const m = /^(\d+)\n/.exec(b.subarray(0, n).toString('latin1'));
      return m ? Number(m[1]) : null;
    } catch { return null; } finally { closeSync(fd); }
  }

  /** Names in the directory (read through the descriptor, not the path). */
  list(): string[] {
    return readdirSync(`/proc/self/fd/${this.fd}`);
  }

  /** Create a new file for appending: never an existing file, never through a link. Returns fd or -errno. */
  create(name: string): number {
    const c = libc();
    const fd = c.openat(this.fd, name, C.O_WRONLY | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW | C.O_CLOEXEC | C.O_APPEND, 0o600);
    return fd < 0 ? -c.errno() : fd;
  }

  /** Open an existing file for reading, never through a link, never blocking on a FIFO. Returns fd or -errno. */
  openRead(name: string): number {
    const c = libc();
    const fd = c.openat(this.fd, name, C.O_RDONLY | C.O_NOFOLLOW | C.O_NONBLOCK | C.O_CLOEXEC, 0);
    return fd < 0 ? -c.errno() : fd;
  }

  /** Open an existing file for reading and writing (truncating back), likewise. Returns fd or -errno. */
  openReadWrite(name: string): number {
    const c = libc();
    const fd = c.openat(this.fd, name, C.O_RDWR | C.O_NOFOLLOW | C.O_NONBLOCK | C.O_CLOEXEC, 0);
    return fd < 0 ? -c.errno() : fd;
  }

  /**
   * Open `name` for reading when it is provably a logger's own file: a regular file with one link,
   * owned by this user, mode 0600, whose first bytes are `marker` (or empty, when allowed).
   * Returns the fd (caller closes) or -1.
   */
  openOwn(name: string, marker: Buffer, allowEmpty = false): number {
    const fd = this.openRead(name);
    if (fd < 0) return -1;
    const st = fstatSync(fd);
    const head = Buffer.alloc(marker.length);
    const ok = st.isFile() && st.nlink === 1 && st.uid === myUid() && (st.mode & 0o777) === 0o600 &&
      ((allowEmpty && st.size === 0) || (st.size >= marker.length && readSync(fd, head, 0, head.length, 0) === head.length && head.equals(marker)));
    if (!ok) { closeSync(fd); return -1; }
    return fd;
  }

  rename(from: string, to: string): boolean {
    return libc().renameat(this.fd, from, this.fd, to) === 0;
  }

  unlink(name: string): boolean {
    return libc().unlinkat(this.fd, name, 0) === 0;
  }

  close(): void {
    libc().close(this.fd);
  }
}
