/**
 * Reading a whole file someone else may have made: never blocking (a FIFO would hang the reader),
 * only a regular file, at most maxBytes. Errors carry the errno code or PR_NOT_A_FILE/PR_TOO_LARGE.
 */
import { closeSync, constants as K, fstatSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export class FileReadError extends Error {
  constructor(readonly code: string, message: string) { super(message); }
}

/** Open for reading without blocking; a regular file or a FileReadError. Returns the fd. */
export function openRegular(path: string): number {
  let fd: number;
  try { fd = openSync(path, K.O_RDONLY | K.O_NONBLOCK); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new FileReadError(code, code);
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new FileReadError('PR_NOT_A_FILE', 'not a regular file (a FIFO, device or socket is never read)');
  }
  return fd;
}

/** The whole file, at most maxBytes. */
export function readRegularFile(path: string, maxBytes: number): Buffer {
  const fd = openRegular(path);
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) throw new FileReadError('PR_TOO_LARGE', `holds more than ${maxBytes} bytes`);
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) { const n = readSync(fd, buf, off, size - off, off); if (n <= 0) break; off += n; }
    return buf.subarray(0, off);
  } finally { closeSync(fd); }
}

/** Whether something (a file, a link, anything) is at path; the link itself, never its target. */
export function existsNoFollow(path: string): boolean {
  try { closeSync(openSync(path, K.O_RDONLY | K.O_NOFOLLOW | K.O_NONBLOCK)); return true; } catch (e) { return (e as NodeJS.ErrnoException).code !== 'ENOENT'; }
}

/** A new owner-only file beside target, created without following a link (O_EXCL|O_NOFOLLOW): its path and descriptor. */
export function createBeside(target: string): { tmp: string; fd: number } {
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  return { tmp, fd: openSync(tmp, K.O_WRONLY | K.O_CREAT | K.O_EXCL | K.O_NOFOLLOW, 0o600) };
}

/** Write a whole file owner-only and atomically: a new file beside it, renamed over it (a link planted at target is replaced, never followed). */
export function writeFileAtomic(target: string, data: string | Buffer): void {
  const { tmp, fd } = createBeside(target);
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  try { for (let o = 0; o < bytes.length;) o += writeSync(fd, bytes, o); } finally { closeSync(fd); }
  renameSync(tmp, target);
}
