/**
 * Reading a whole file someone else may have made: never blocking (a FIFO would hang the reader),
 * only a regular file, at most maxBytes. Errors carry the errno code or PR_NOT_A_FILE/PR_TOO_LARGE.
 */
import { closeSync, constants as K, fstatSync, openSync, readSync } from 'node:fs';

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
