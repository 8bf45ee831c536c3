/** Whole CSV rows in log bytes: a row ends with a newline outside quotes (the logs' own writer quotes every newline in a cell). */
import { fstatSync, ftruncateSync, readSync } from 'node:fs';

/** Truncate an open file (of at most 1 GiB) after its last whole row: a newline outside quotes. Returns the length kept. */
export function cutToWholeRows(fd: number, headerLength: number): number {
  const size = fstatSync(fd).size;
  if (size > 1 << 30) return size;
  const buf = Buffer.alloc(size);
  let off = 0;
  while (off < size) { const n = readSync(fd, buf, off, size - off, off); if (n <= 0) break; off += n; }
  const whole = Math.max(headerLength, wholeRowsLength(buf.subarray(0, off)));
  if (whole < size) ftruncateSync(fd, whole);
  return Math.min(whole, size);
}

/** Where the last whole row ends, and how many rows end, in CSV bytes. */
function scanRows(b: Buffer): { end: number; rows: number } {
  let end = 0;
  let rows = 0;
  let quoted = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0x22) quoted = !quoted;
    else if (c === 0x0a && !quoted) { end = i + 1; rows++; }
  }
  return { end, rows };
}

/** Length of the prefix of CSV bytes that ends with a whole row. */
export function wholeRowsLength(b: Buffer): number {
  return scanRows(b).end;
}

/** Rows that end in these bytes (quoted newlines are rare, so a quote parity suffices). */
export function countRows(b: Buffer): number {
  return scanRows(b).rows;
}
