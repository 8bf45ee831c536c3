/**
 * A larger pipe under stdout. Node writes to a pipe synchronously on Linux; with the kernel's
 * default 64 KiB pipe every few lines of a large snapshot or import wait for the reader to be
 * scheduled (the module, `jq`). 1 MiB (the unprivileged maximum, fs.pipe-max-size) lets the
 * writer run ahead. Best effort: anything that fails leaves the pipe as it was.
 */
import { fstatSync } from 'node:fs';
import { C, libc } from '../../native/linux/libc.js';

export const PIPE_BYTES = 1 << 20;

let done = false;

/** Widen stdout's pipe once, on Linux, when stdout is a pipe; returns the new size or 0. */
export function widenStdoutPipe(): number {
  if (done || process.platform !== 'linux') return 0;
  done = true;
  try {
    if (!fstatSync(1).isFIFO()) return 0;
    const r = libc().fcntl(1, C.F_SETPIPE_SZ, PIPE_BYTES);
    return r > 0 ? r : 0;
  } catch {
    return 0;
  }
}
