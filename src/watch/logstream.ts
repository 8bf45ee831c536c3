/**
 * One kind of log (initial, connections, processes) as a series of files: rows are appended whole
 * (one write of complete rows; a failed write is truncated back), files rotate by size and age,
 * closed files are gzipped, old ones removed by count and total size. A full or read-only disk is
 * reported, the rows are held (bounded) and written, after an error row, to the next writable file.
 */
import { closeSync, createReadStream, createWriteStream, fstatSync, ftruncateSync, writeSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Diagnostic } from '../model/diagnostic.js';
import { errnoText, type LogDir } from './logdir.js';

export interface RotationPolicy {
  maxBytes: number;
  maxAgeMs: number;
  retainCount: number;
  retainBytes: number;
  gzip: boolean;
  /** Rows held in memory while no file is writable; beyond this the oldest are dropped (and counted). */
  maxPendingBytes: number;
}

export const DEFAULT_POLICY: RotationPolicy = {
  maxBytes: 64 << 20, maxAgeMs: 24 * 3600_000, retainCount: 100, retainBytes: 4 * 1024 ** 3, gzip: true, maxPendingBytes: 32 << 20,
};

export interface LogKind {
  /** File name part: portreport-<name>-v1-... */
  name: string;
  header: string;
  /** A complete CSV row (with newline) recording an error in this log's columns. */
  errorRow(time: Date, code: string, message: string): string;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('.', '');

export class LogStream {
  private fd = -1;
  private file = '';
  private size = 0;
  private openedAt = 0;
  private seq = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingRows = 0;
  private dropped = 0;
  private errors: string[] = [];
  private lastError = '';
  private compressing: Promise<void> = Promise.resolve();
  /** Rows known to be on disk (for tests and status). */
  rowsWritten = 0;

  constructor(private dir: LogDir, readonly kind: LogKind, private policy: RotationPolicy, private report: (d: Diagnostic) => void) {}

  get currentFile(): string {
    return this.file;
  }

  /** Queue complete rows (each ending in a newline). */
  append(rows: Buffer, count: number): void {
    this.pending.push(rows);
    this.pendingBytes += rows.length;
    this.pendingRows += count;
    while (this.pendingBytes > this.policy.maxPendingBytes && this.pending.length > 1) {
      const old = this.pending.shift()!;
      this.pendingBytes -= old.length;
      this.dropped += countRows(old);
      this.pendingRows -= countRows(old);
    }
  }

  /** Write what is queued. Returns false when it could not (the rows stay queued). */
  flush(now = new Date()): boolean {
    if (this.pending.length === 0 && this.errors.length === 0) return true;
    if (this.fd < 0 && !this.openNew(now)) return false;
    const lead: string[] = this.errors.map((m) => this.kind.errorRow(now, 'PR_LOG_WRITE', m));
    if (this.dropped > 0) lead.push(this.kind.errorRow(now, 'PR_LOG_DROPPED', `${this.dropped} rows were dropped while no log file was writable`));
    const buf = Buffer.concat([Buffer.from(lead.join('')), ...this.pending]);
    try {
      let off = 0;
      while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    } catch (e) {
      this.fail(e as NodeJS.ErrnoException, now);
      return false;
    }
    this.size += buf.length;
    this.rowsWritten += this.pendingRows + lead.length;
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingRows = 0;
    this.dropped = 0;
    this.errors = [];
    this.lastError = '';
    if (this.size >= this.policy.maxBytes || now.getTime() - this.openedAt >= this.policy.maxAgeMs) this.rotate();
    return true;
  }

  private fail(e: NodeJS.ErrnoException, now: Date): void {
    // Cut back to the last complete row, so the file never holds a partial one.
    try { ftruncateSync(this.fd, this.size); } catch { /* the file is closed below either way */ }
    const msg = `cannot write ${this.dir.path}/${this.file}: ${e.code ?? e.message}`;
    if (msg !== this.lastError) {
      this.report({ Level: 'error', Code: 'PR_LOG_WRITE', Message: msg, Target: `${this.dir.path}/${this.file}` });
      this.errors.push(`${msg} at ${now.toISOString()}`);
      this.lastError = msg;
    }
    // Continue in a new file: the next writable one gets the error row first.
    this.closeFile(false);
  }

  private openNew(now: Date): boolean {
    for (let attempt = 0; attempt < 5; attempt++) {
      const name = `portreport-${this.kind.name}-v1-${stamp(now)}-${process.pid}-${this.seq++}.csv`;
      const fd = this.dir.create(name);
      if (fd === -17) continue; // EEXIST: a name of ours that exists already (never reused), try the next
      if (fd < 0) {
        const msg = `cannot create log file ${this.dir.path}/${name}: ${errnoText(-fd)}`;
        if (msg !== this.lastError) {
          this.report({ Level: 'error', Code: 'PR_LOG_CREATE', Message: msg, Target: `${this.dir.path}/${name}` });
          this.errors.push(`${msg} at ${now.toISOString()}`);
          this.lastError = msg;
        }
        return false;
      }
      try {
        writeSync(fd, this.kind.header);
      } catch (e) {
        closeSync(fd);
        this.dir.unlink(name);
        this.fail(e as NodeJS.ErrnoException, now);
        return false;
      }
      this.fd = fd;
      this.file = name;
      this.size = Buffer.byteLength(this.kind.header);
      this.openedAt = now.getTime();
      return true;
    }
    return false;
  }

  /** Close the current file, compress it and apply retention. */
  rotate(): void {
    this.closeFile(true);
  }

  private closeFile(compress: boolean): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    const name = this.file;
    this.fd = -1;
    this.file = '';
    if (compress && this.policy.gzip) this.compress(name);
    else this.retain();
  }

  /** gzip a closed file of ours (queued, one at a time), then remove the original. */
  compress(name: string): void {
    this.compressing = this.compressing.then(async () => {
      const gz = `${name}.gz`;
      const inFd = this.dir.openRead(name);
      if (inFd === -2) return; // ENOENT: retention removed it while it waited its turn
      this.dir.unlink(gz); // a .gz left by a run killed while compressing: the .csv is still whole
      const outFd = this.dir.create(gz);
      if (inFd < 0 || outFd < 0) {
        if (inFd >= 0) closeSync(inFd);
        if (outFd >= 0) closeSync(outFd);
        this.report({ Level: 'warning', Code: 'PR_LOG_GZIP', Message: `cannot compress ${this.dir.path}/${name}; left uncompressed` });
        return;
      }
      try {
        await pipeline(createReadStream('', { fd: inFd }), createGzip(), createWriteStream('', { fd: outFd }));
        this.dir.unlink(name);
      } catch (e) {
        this.dir.unlink(gz);
        this.report({ Level: 'warning', Code: 'PR_LOG_GZIP', Message: `cannot compress ${this.dir.path}/${name}: ${(e as Error).message}; left uncompressed` });
      }
      this.retain();
    });
  }

  /** Files of this kind, oldest first (names sort by creation time). */
  files(): string[] {
    const prefix = `portreport-${this.kind.name}-v1-`;
    return this.dir.list().filter((n) => n.startsWith(prefix) && (n.endsWith('.csv') || n.endsWith('.csv.gz'))).sort();
  }

  /** Remove the oldest closed files beyond the retained count or total size. */
  retain(): void {
    const closed = this.files().filter((n) => n !== this.file);
    const sizes = closed.map((n) => {
      const fd = this.dir.openRead(n);
      if (fd < 0) return 0;
      try { return fstatSync(fd).size; } finally { closeSync(fd); }
    });
    let total = sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < closed.length && (closed.length - i > this.policy.retainCount || total > this.policy.retainBytes); i++) {
      if (this.dir.unlink(closed[i])) total -= sizes[i];
    }
  }

  /** Compress files left uncompressed by an earlier run (killed before it could). */
  compressLeftovers(): void {
    if (!this.policy.gzip) return;
    for (const n of this.files()) if (n.endsWith('.csv') && n !== this.file) this.compress(n);
  }

  /** Flush, close and finish compressing. */
  async close(now = new Date()): Promise<void> {
    this.flush(now);
    this.closeFile(true);
    await this.compressing;
  }
}

function countRows(b: Buffer): number {
  // Rows end in "\n" outside quotes; quoted newlines are rare, so count quote parity.
  let rows = 0;
  let quoted = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0x22) quoted = !quoted;
    else if (c === 0x0a && !quoted) rows++;
  }
  return rows;
}
