/**
 * One kind of log (initial, connections, processes) as a series of files: rows are appended whole
 * (one write of complete rows; a failed write is truncated back), files rotate by size and age,
 * closed files are gzipped, old ones removed by count and total size. A full or read-only disk is
 * reported once, the rows are held (bounded) and written, after an error row, to the next writable
 * file; creating files backs off meanwhile, and a file that got no row is removed, never retained.
 * Only files proven to be a logger's own (created by this run, or by owner, mode, link count and
 * header) are compressed or removed; a run killed mid-write leaves its file cut back to whole rows
 * at the next start.
 */
import { closeSync, createReadStream, createWriteStream, fstatSync, ftruncateSync, readSync, writeSync } from 'node:fs';
import { countRows, cutToWholeRows } from './rows.js';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';
import type { Diagnostic } from '../model/diagnostic.js';
import { errnoText } from '../util/errno.js';
import type { LogFolder } from './folder.js';

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
/** A log file name as a logger makes it: kind, creation stamp (UTC), pid, sequence; `.partial` while a whole-file write is under way. */
const LOG_FILE = /^portreport-([a-z]+)-v1-(\d{8}T\d{9}Z)-(\d+)-(\d+)\.csv(\.gz|\.partial)?$/;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);
/** Creating files is retried after a failure at most this often (doubling from 1 s). */
const MAX_BACKOFF_MS = 60_000;
/** Names stamped further ahead than this are not a logger's (a clock is not that wrong): never retained or removed. */
const FUTURE_SLACK_MS = 86_400_000;

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
  /** Files this run created (known to be ours without a check). */
  private created = new Set<string>();
  private retryAt = 0;
  private backoff = 0;
  /** Rows known to be on disk (for tests and status). */
  rowsWritten = 0;

  constructor(private dir: LogFolder, readonly kind: LogKind, private policy: RotationPolicy, private report: (d: Diagnostic) => void) {}

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

  /** Write what is queued, rotating when the file is full or old. Returns false when it could not (the rows stay queued). */
  flush(now = new Date()): boolean {
    if (this.pending.length === 0 && this.errors.length === 0) return true;
    if (this.fd < 0 && (now.getTime() < this.retryAt || !this.openNew(now))) return false;
    if (!this.writePending(now)) return false;
    if (this.size >= this.policy.maxBytes || now.getTime() - this.openedAt >= this.policy.maxAgeMs) this.rotate();
    return true;
  }

  /** Write the queued rows (after any error rows) to the open file, whole or not at all. */
  private writePending(now: Date): boolean {
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
    this.backoff = 0;
    return true;
  }

  private fail(e: NodeJS.ErrnoException, now: Date, file = this.file): void {
    // Cut back to the last complete row, so the file never holds a partial one.
    if (this.fd >= 0) try { ftruncateSync(this.fd, this.size); } catch { /* the file is closed below either way */ }
    this.problem('PR_LOG_WRITE', e.code ?? e.message, `cannot write ${this.dir.path}/${file}`, now);
    // Continue in a new file: the next writable one gets the error row first.
    this.closeFile(false);
  }

  /** Report a failure once per kind of failure (not once per file tried), and back off creating files. */
  private problem(code: string, why: string, what: string, now: Date): void {
    const key = `${code} ${why}`;
    if (key !== this.lastError) {
      const msg = `${what}: ${why}`;
      this.report({ Level: 'error', Code: code, Message: msg, Target: this.dir.path });
      this.errors.push(`${msg} at ${now.toISOString()}`);
      this.lastError = key;
    }
    this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff ? this.backoff * 2 : 1000);
    this.retryAt = now.getTime() + this.backoff;
  }

  private openNew(now: Date, suffix = ''): boolean {
    for (let attempt = 0; attempt < 5; attempt++) {
      const name = `portreport-${this.kind.name}-v1-${stamp(now)}-${process.pid}-${this.seq++}.csv${suffix}`;
      const fd = this.dir.create(name);
      if (fd === -17) continue; // EEXIST: a name of ours that exists already (never reused), try the next
      if (fd < 0) {
        this.problem('PR_LOG_CREATE', errnoText(-fd), `cannot create a log file in ${this.dir.path}`, now);
        return false;
      }
      this.created.add(name);
      try {
        writeSync(fd, this.kind.header);
      } catch (e) {
        closeSync(fd);
        this.dir.unlink(name);
        this.created.delete(name);
        this.fail(e as NodeJS.ErrnoException, now, name);
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

  /**
   * Write rows as one whole file (the initial log): under a `.partial` name until every row is on
   * disk, then renamed, so a file under the log's own name always holds whole rows, even after a
   * kill -9 in the middle of a large write. Returns false when it could not (rows stay queued).
   */
  writeWhole(chunks: Iterable<[Buffer, number]>, now = new Date()): boolean {
    // Chunks are made as they are written, so a large snapshot never sits in memory as one text.
    // The first is made before the file is opened, so rows follow the header at once.
    const it = chunks[Symbol.iterator]();
    const queueRest = () => { for (let c = it.next(); !c.done; c = it.next()) this.append(c.value[0], c.value[1]); return false; };
    const first = it.next();
    if (!first.done) this.append(first.value[0], first.value[1]);
    if (now.getTime() < this.retryAt || !this.openNew(now, '.partial')) return queueRest();
    if (!this.writePending(now)) return queueRest();
    for (let c = it.next(); !c.done; c = it.next()) {
      this.append(c.value[0], c.value[1]);
      if (!this.writePending(now)) return queueRest();
    }
    const partial = this.file;
    const name = partial.slice(0, -'.partial'.length);
    closeSync(this.fd);
    this.fd = -1;
    this.file = '';
    if (!this.dir.rename(partial, name)) {
      this.report({ Level: 'error', Code: 'PR_LOG_WRITE', Message: `cannot rename ${this.dir.path}/${partial} to ${name}`, Target: this.dir.path });
      return false;
    }
    this.created.delete(partial);
    this.created.add(name);
    if (this.policy.gzip) this.compress(name);
    else this.retain();
    return true;
  }

  /** Close the current file, compress it and apply retention. */
  rotate(): void {
    this.closeFile(true);
  }

  private closeFile(compress: boolean): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    const name = this.file;
    const empty = this.size <= Buffer.byteLength(this.kind.header);
    this.fd = -1;
    this.file = '';
    // A file that got no row is removed, and never makes retention remove a file that has rows.
    if (empty) { this.dir.unlink(name); this.created.delete(name); return; }
    if (compress && this.policy.gzip) this.compress(name);
    else this.retain();
  }

  /** Is `name` a log file of this kind that a logger wrote (this run, or proven by owner, mode, links and header)? */
  isOwn(name: string, now = Date.now()): boolean {
    const m = LOG_FILE.exec(name);
    if (!m || m[1] !== this.kind.name || stampMs(m[2]) > now + FUTURE_SLACK_MS) return false;
    if (this.created.has(name)) return true;
    const gz = m[5] === '.gz';
    const fd = this.dir.openOwn(name, gz ? GZIP_MAGIC : Buffer.from(this.kind.header), gz);
    if (fd < 0) return false;
    try {
      if (!gz || fstatSync(fd).size === 0) return true; // an empty .gz: a run killed as it began compressing
      const head = Buffer.alloc(4096);
      const n = readSync(fd, head, 0, head.length, 0);
      let text: Buffer;
      try { text = gunzipSync(head.subarray(0, n), { finishFlush: 2 /* Z_SYNC_FLUSH: a prefix is enough */ }); } catch { return false; }
      return text.subarray(0, Buffer.byteLength(this.kind.header)).equals(Buffer.from(this.kind.header));
    } finally { closeSync(fd); }
  }

  /**
   * A file of ours a run was killed in while starting it: between creating it and writing the
   * whole header, so it holds a prefix of the header (or nothing). Proven by name, owner, mode and
   * links like any other; it has no row to keep.
   */
  private cutInHeader(name: string, now: number): boolean {
    const m = LOG_FILE.exec(name);
    if (!m || m[1] !== this.kind.name || m[5] !== undefined || stampMs(m[2]) > now + FUTURE_SLACK_MS) return false;
    const fd = this.dir.openOwn(name, Buffer.alloc(0), true);
    if (fd < 0) return false;
    try {
      const header = Buffer.from(this.kind.header);
      const size = fstatSync(fd).size;
      if (size >= header.length) return false;
      const head = Buffer.alloc(size);
      return readSync(fd, head, 0, size, 0) === size && head.equals(header.subarray(0, size));
    } finally { closeSync(fd); }
  }

  /** gzip a closed file of ours (queued, one at a time), then remove the original. */
  compress(name: string): void {
    this.compressing = this.compressing.then(async () => {
      const gz = `${name}.gz`;
      if (!this.isOwn(name)) return; // gone (retention removed it while it waited its turn), or not a logger's
      const inFd = this.dir.openRead(name);
      if (inFd < 0) return;
      // A .gz beside our .csv is what a run killed while compressing it left (the .csv is still whole):
      // proven by owner, mode and links (its content may be cut anywhere, even before our header).
      const left = this.dir.openOwn(gz, GZIP_MAGIC, true);
      if (left >= 0) { closeSync(left); this.dir.unlink(gz); }
      const outFd = this.dir.create(gz);
      if (outFd >= 0) this.created.add(gz);
      if (inFd < 0 || outFd < 0) {
        if (inFd >= 0) closeSync(inFd);
        if (outFd >= 0) closeSync(outFd);
        this.report({ Level: 'warning', Code: 'PR_LOG_GZIP', Message: `cannot compress ${this.dir.path}/${name}; left uncompressed` });
        return;
      }
      try {
        await pipeline(createReadStream('', { fd: inFd }), createGzip(), createWriteStream('', { fd: outFd }));
        this.dir.unlink(name);
        this.created.delete(name);
      } catch (e) {
        this.dir.unlink(gz);
        this.created.delete(gz);
        this.report({ Level: 'warning', Code: 'PR_LOG_GZIP', Message: `cannot compress ${this.dir.path}/${name}: ${(e as Error).message}; left uncompressed` });
      }
      this.retain();
    });
  }

  /** A logger's files of this kind, oldest first (names sort by creation time); planted or forged files are left alone. */
  files(): string[] {
    const prefix = `portreport-${this.kind.name}-v1-`;
    const now = Date.now();
    return this.dir.list().filter((n) => n.startsWith(prefix) && (n.endsWith('.csv') || n.endsWith('.csv.gz')) && this.isOwn(n, now)).sort();
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

  /**
   * Files an earlier run left open (it was killed): cut back to their last whole row, `.partial`
   * ones given their log name, then compressed as a rotation would.
   */
  recoverLeftovers(): void {
    const now = Date.now();
    const partials = this.dir.list().filter((n) => n.endsWith('.csv.partial') && LOG_FILE.exec(n)?.[1] === this.kind.name);
    for (const p of partials) {
      const fd = this.dir.openOwn(p, Buffer.from(this.kind.header));
      if (fd < 0) continue;
      closeSync(fd);
      this.dir.rename(p, p.slice(0, -'.partial'.length));
    }
    // Each leftover is proven ours once here (compress checks again when its turn comes).
    const header = Buffer.byteLength(this.kind.header);
    for (const n of this.dir.list().sort()) {
      if (!n.endsWith('.csv') || n === this.file) continue;
      if (!this.isOwn(n, now)) {
        if (this.cutInHeader(n, now)) this.dir.unlink(n);
        continue;
      }
      const fd = this.dir.openReadWrite(n);
      if (fd < 0) continue;
      let left: number;
      try { left = cutToWholeRows(fd, header); } finally { closeSync(fd); }
      if (left <= header) this.dir.unlink(n); // killed before its first row: nothing to keep
      else if (this.policy.gzip) this.compress(n);
    }
  }

  /** Flush, close and finish compressing. */
  async close(now = new Date()): Promise<void> {
    this.flush(now);
    this.closeFile(true);
    await this.compressing;
  }
}

/** Epoch ms of a file name's stamp (20261202T070621123Z). */
function stampMs(s: string): number {
  return Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(9, 11), +s.slice(11, 13), +s.slice(13, 15), +s.slice(15, 18));
}
