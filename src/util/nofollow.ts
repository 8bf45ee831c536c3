/**
 * Opening a directory path without following any link (Linux): every component is opened with
 * openat(O_DIRECTORY|O_NOFOLLOW) from the root, created 0700 where missing when asked, so no
 * spelling of the path (trailing slash, `..`, a link in a parent) reaches a symlink's target.
 * The log directory, the status reader, the cgroup the connect-time programs attach to and the
 * container runtimes' folders are all reached this way.
 */
import { lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { C, libc } from '../../native/linux/libc.js';
import { errnoText } from './errno.js';

/** Why a path could not be opened: `symlink` (a component is a link), `notdir`, `create` or `open`; `at` is the component. */
export class NoFollowError extends Error {
  constructor(readonly reason: 'symlink' | 'notdir' | 'create' | 'open', readonly at: string, message: string) {
    super(message);
  }
}

const isLink = (p: string) => { try { return lstatSync(p).isSymbolicLink(); } catch { return false; } };

/**
 * Open a directory path component by component without following any link, creating missing
 * components 0700 when `create`. Returns the descriptor of the last one; `what` names the
 * directory in messages ("log directory", "cgroup").
 */
export function openDirNoFollow(path: string, create: boolean, what = 'directory'): { fd: number; created: boolean } {
  const c = libc();
  const abs = resolve(path); // lexical: `..` and `.` go away before anything is opened
  const parts = abs.split('/').filter((p) => p !== '');
  let fd = c.open('/', C.O_RDONLY | C.O_DIRECTORY | C.O_CLOEXEC);
  if (fd < 0) throw new NoFollowError('open', '/', `cannot open / (${errnoText(c.errno())})`);
  let created = false;
  let at = '';
  try {
    for (const part of parts) {
      at += '/' + part;
      const flags = C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW | C.O_CLOEXEC;
      let next = c.openat(fd, part, flags, 0);
      if (next < 0 && c.errno() === C.ENOENT && create) {
        if (c.mkdirat(fd, part, 0o700) < 0 && c.errno() !== C.EEXIST) {
          throw new NoFollowError('create', at, `cannot create ${what} ${at}: ${errnoText(c.errno())}`);
        }
        created = true;
        next = c.openat(fd, part, flags, 0);
      }
      if (next < 0) {
        const e = c.errno();
        // O_DIRECTORY|O_NOFOLLOW on a link gives ENOTDIR (ELOOP without O_DIRECTORY); lstat only words the message.
        if (e === C.ELOOP || (e === C.ENOTDIR && isLink(at))) throw new NoFollowError('symlink', at, `${at} is a symbolic link; refusing to follow it (give the real path of the ${what})`);
        if (e === C.ENOTDIR) throw new NoFollowError('notdir', at, `${at} exists and is not a directory`);
        throw new NoFollowError('open', at, `cannot open ${at}: ${errnoText(e)}`);
      }
      c.close(fd);
      fd = next;
    }
  } catch (e) {
    c.close(fd);
    throw e;
  }
  return { fd, created };
}
