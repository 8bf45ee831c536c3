/**
 * The log folder on Windows, the same LogFolder surface as Linux's LogDir. No component of the path
 * may be a reparse point (symbolic link, junction, mount point): each is lstat'ed from the root and
 * a link anywhere is refused (PR_LOG_SYMLINK), so nothing is created or changed through one. The
 * folder (created when missing) gets a protected owner-only DACL (SYSTEM and Administrators, full
 * control, inherited by the files). One logger a folder: `portreport.lock` is held open for
 * writing without write sharing, so a second logger's open fails (the system drops the handle
 * when the logger dies); the holder's pid and start time are written into it. Files are created
 * with O_EXCL (never an existing file or link) and opened only when they are regular files.
 */
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, unlinkSync } from 'node:fs';
import { join, parse, resolve } from 'node:path';
import { advapi32, DACL_SECURITY_INFORMATION, PROTECTED_DACL_SECURITY_INFORMATION, SDDL_REVISION_1 } from '../../../native/windows/advapi32.js';
import { ERROR_SHARING_VIOLATION, FILE_FLAG_OPEN_REPARSE_POINT, FILE_SHARE_READ, GENERIC_WRITE, invalidHandle, kernel32, OPEN_ALWAYS } from '../../../native/windows/kernel32.js';
import { wideArg } from '../../../native/windows/system.js';
import koffi from 'koffi';
import { LogDirError, LOCK_NAME } from '../logdir.js';
import { negErrno } from '../../util/errno.js';
import type { LogFolder } from '../folder.js';

/** SYSTEM and Administrators: full control, for the folder and (inherited) its files; nothing inherited from above. */
export const OWNER_ONLY_SDDL = 'D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)';

/** Every component of `path` from its root, refusing reparse points; creates missing folders. */
function openPath(path: string): string {
  const abs = resolve(path);
  const { root } = parse(abs);
  let at = root;
  for (const part of abs.slice(root.length).split(/[\\/]/).filter(Boolean)) {
    at = join(at, part);
    let st;
    try { st = lstatSync(at); } catch {
      try { mkdirSync(at); } catch (e) { throw new LogDirError('PR_LOG_DIR', `cannot create log directory ${at}: ${(e as Error).message}`); }
      st = lstatSync(at);
    }
    if (st.isSymbolicLink()) throw new LogDirError('PR_LOG_SYMLINK', `${at} is a symbolic link or junction; refusing to follow it (give the real path of the log directory)`);
    if (!st.isDirectory()) throw new LogDirError('PR_LOG_DIR', `${at} exists and is not a directory`);
  }
  return abs;
}

export class WindowsLogDir implements LogFolder {
  private lockHandle: unknown = null;

  private constructor(readonly path: string) {}

  static open(path: string, warn: (msg: string) => void = () => {}): WindowsLogDir {
    const abs = openPath(path);
    const a = advapi32();
    const sd = Buffer.alloc(8);
    if (a.ConvertStringSecurityDescriptorToSecurityDescriptorW(wideArg(OWNER_ONLY_SDDL), SDDL_REVISION_1, sd, null)) {
      if (!a.SetFileSecurityW(wideArg(abs), DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, koffi.decode(sd, 'void *'))) {
        warn(`cannot set the owner-only access list on ${abs} (error ${kernel32().GetLastError()}); check its permissions`);
      }
    }
    return new WindowsLogDir(abs);
  }

  lock(): void {
    const k = kernel32();
    const h = k.CreateFileW(wideArg(join(this.path, LOCK_NAME)), GENERIC_WRITE, FILE_SHARE_READ, null, OPEN_ALWAYS, FILE_FLAG_OPEN_REPARSE_POINT, null);
    if (invalidHandle(h)) {
      const err = k.GetLastError();
      if (err === ERROR_SHARING_VIOLATION) throw new LogDirError('PR_LOG_LOCKED', `another PortReport logger${this.holder()} is writing to ${this.path}; stop it first, or give another log directory`);
      throw new LogDirError('PR_LOG_LOCK', `cannot open ${join(this.path, LOCK_NAME)} (error ${err})`);
    }
    const text = Buffer.from(`${process.pid}\n${new Date().toISOString()}\n`);
    k.SetEndOfFile(h);
    k.WriteFile(h, text, text.length, Buffer.alloc(4), null);
    this.lockHandle = h;
  }

  private holder(): string {
    try {
      const fd = openSync(join(this.path, LOCK_NAME), 'r');
      try {
        const b = Buffer.alloc(64);
        const m = /^(\d+)\r?\n/.exec(b.subarray(0, readSync(fd, b, 0, 64, 0)).toString('latin1'));
        return m ? ` (pid ${m[1]})` : '';
      } finally { closeSync(fd); }
    } catch { return ''; }
  }

  list(): string[] {
    return readdirSync(this.path);
  }

  create(name: string): number {
    try { return openSync(join(this.path, name), 'ax', 0o600); } catch (e) { return negErrno(e); }
  }

  private openRegular(name: string, flags: string): number {
    const p = join(this.path, name);
    try {
      if (!lstatSync(p).isFile()) return -13;
      return openSync(p, flags);
    } catch (e) { return negErrno(e); }
  }

  openRead(name: string): number {
    return this.openRegular(name, 'r');
  }

  openReadWrite(name: string): number {
    return this.openRegular(name, 'r+');
  }

  /** A regular file (not a link) whose first bytes are `marker`: Windows has no uid or mode to prove more. */
  openOwn(name: string, marker: Buffer, allowEmpty = false): number {
    const fd = this.openRead(name);
    if (fd < 0) return -1;
    const st = fstatSync(fd);
    const head = Buffer.alloc(marker.length);
    const ok = st.isFile() && ((allowEmpty && st.size === 0) || (st.size >= marker.length && readSync(fd, head, 0, head.length, 0) === head.length && head.equals(marker)));
    if (!ok) { closeSync(fd); return -1; }
    return fd;
  }

  rename(from: string, to: string): boolean {
    try { renameSync(join(this.path, from), join(this.path, to)); return true; } catch { return false; }
  }

  unlink(name: string): boolean {
    try { unlinkSync(join(this.path, name)); return true; } catch { return false; }
  }

  close(): void {
    if (this.lockHandle) kernel32().CloseHandle(this.lockHandle);
    this.lockHandle = null;
  }
}
