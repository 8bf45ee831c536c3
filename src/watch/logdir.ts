/**
 * The log directory, held open by a file descriptor for the logger's life. It is created owner-only
 * (0700); it is refused when it is a symlink or someone else's; every file in it is created with
 * openat(O_CREAT|O_EXCL|O_NOFOLLOW, 0600) relative to that descriptor, so neither the directory
 * nor a log file is ever opened through a symlink, even if the path is swapped later.
 */
import { constants as K, fstatSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { C, libc } from '../../native/linux/libc.js';

export class LogDirError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export class LogDir {
  private constructor(readonly path: string, readonly fd: number) {}

  /** Open (creating it 0700 when missing). Throws LogDirError with a message naming the path. */
  static open(path: string, warn: (msg: string) => void = () => {}): LogDir {
    try {
      mkdirSync(path, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw new LogDirError('PR_LOG_DIR', `cannot create log directory ${path}: ${(e as Error).message}`);
    }
    let st;
    try { st = lstatSync(path); } catch (e) { throw new LogDirError('PR_LOG_DIR', `cannot stat log directory ${path}: ${(e as Error).message}`); }
    if (st.isSymbolicLink()) throw new LogDirError('PR_LOG_SYMLINK', `log directory ${path} is a symbolic link; refusing to follow it`);
    if (!st.isDirectory()) throw new LogDirError('PR_LOG_DIR', `log path ${path} exists and is not a directory`);
    let fd: number;
    try {
      fd = openSync(path, K.O_RDONLY | K.O_DIRECTORY | K.O_NOFOLLOW);
    } catch (e) {
      throw new LogDirError('PR_LOG_DIR', `cannot open log directory ${path}: ${(e as Error).message}`);
    }
    const fst = fstatSync(fd);
    const uid = process.geteuid?.() ?? 0;
    if (fst.uid !== uid) throw new LogDirError('PR_LOG_DIR_OWNER', `log directory ${path} belongs to uid ${fst.uid}, not to this user (${uid}); refusing to log there`);
    if ((fst.mode & 0o077) !== 0) {
      libc().fchmod(fd, 0o700);
      warn(`log directory ${path} was accessible to others (mode ${(fst.mode & 0o777).toString(8)}); set to 0700`);
    }
    return new LogDir(path, fd);
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

  /** Open an existing regular file of ours for reading, never through a link. Returns fd or -errno. */
  openRead(name: string): number {
    const c = libc();
    const fd = c.openat(this.fd, name, C.O_RDONLY | C.O_NOFOLLOW | C.O_CLOEXEC, 0);
    return fd < 0 ? -c.errno() : fd;
  }

  unlink(name: string): boolean {
    return libc().unlinkat(this.fd, name, 0) === 0;
  }

  close(): void {
    libc().close(this.fd);
  }
}

/** Text of an errno for messages. */
export function errnoText(e: number): string {
  const names: Record<number, string> = { 2: 'ENOENT', 13: 'EACCES', 17: 'EEXIST', 27: 'EFBIG', 28: 'ENOSPC', 30: 'EROFS', 40: 'ELOOP', 122: 'EDQUOT' };
  return names[e] ?? `errno ${e}`;
}
