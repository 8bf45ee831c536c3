/**
 * Shipping a host's logs to ClickHouse, exactly once (docs/fleet.md). Each log file is read in
 * line order (rotated .gz files whole, the file a logger is writing up to its last whole row, more
 * of it on each pass in follow mode) and sent in batches, one file per batch, each an INSERT the
 * cluster applies atomically before answering (insert_distributed_sync: the host's rows go to one
 * shard in one block). The watermark of a file is the highest line the cluster holds for it
 * (max(LogLine) for ShipHost and ShipFile): it is asked at start and after any failure whose
 * outcome is unknown, so a batch that landed is never sent again and one that did not is sent;
 * each batch carries a query id made from its first line, so a resend cannot run beside the
 * original still in flight (ClickHouse refuses a second query of the same id). The local state
 * (state.ts) records the same watermark after each acknowledged batch, and wins where the server
 * holds less (rows dropped by retention are not sent again).
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../../model/diagnostic.js';
import { FastCsvReader } from '../../import/fastcsv.js';
import { expandPaths, isGzip, openLogFile, openOurLog } from '../../import/importer.js';
import { ourKind, type OurKind } from '../../import/ourlogs.js';
import { quoted } from '../../util/display.js';
import { ClickHouse, ClickHouseError, sqlIdent } from '../clickhouse/client.js';
import { fileWatermark, isTransient, Patience, serverWatermarks } from './watermark.js';
import { SHIP_COLUMNS, TABLES } from '../clickhouse/schema.js';
import { csvCell, csvRow, PLAIN_LINE } from './csvcell.js';
import { Batch } from './batch.js';
import { writeState, type ShipState } from './state.js';

/** Our logs as a logger names them (not .partial files still being written whole, not Parquet twins). */
const SHIPPABLE = /^portreport-(initial|connections|processes)-v1-.*\.csv(\.gz)?$/;

export interface ShipOptions {
  paths: string[];
  host: string;
  statePath: string;
  state: ShipState;
  /** A batch is sent once it holds this many rows (or 48 MiB). */
  batchRows: number;
  follow: boolean;
  intervalMs: number;
  /** Longest wait between retries while the server is down. */
  maxBackoffMs: number;
}

export interface ShippedLog {
  RecordType: 'ShippedLog';
  Source: string;
  ShipFile: string;
  Table: string | null;
  Rows: number;
  BadRows: number;
  Line: number;
  Complete: boolean;
}

// Each INSERT costs the cluster a part and a round trip: batches of tens of MB keep that small.
const MAX_BATCH_BYTES = 48 << 20;
/** A batch starts small and grows (a file of a few rows costs little; a cursor lives as long as its file). */
const BATCH_CAPACITY = 64 << 10;
const CHUNK = 1 << 20;
const SETTINGS = { insert_distributed_sync: 1, format_csv_allow_single_quotes: 0, input_format_allow_errors_num: 0, input_format_allow_errors_ratio: 0 };
/** Errors that stop everything: the server refuses who we are, or the tables are not there. */
const FATAL = new Set([60, 81, 192, 193, 194, 497, 516]);

/** One turn of the event loop (I/O callbacks run). */
const turn = () => new Promise<void>((r) => setImmediate(r));

interface Pending { batch: Batch; seen: number; done: boolean }

interface Cursor {
  id: string;
  path: string;
  gz: boolean;
  kind: OurKind | null;
  table: string | null;
  prefix: string;
  insert: string;
  header: number;
  reader: FastCsvReader;
  offset: number;
  /** Rows at or below this line were handled before (by this host, this run or an earlier one). */
  resume: number;
  /** The last line seen (shipped rows in the batch, bad rows reported) and the last one the cluster or the state holds. */
  seen: number;
  handled: number;
  batch: Batch;
  /** The batch being sent while the next is read. */
  inflight: Promise<void> | null;
  done: boolean;
  failed: boolean;
  result: ShippedLog;
}

export class Shipper {
  private cursors = new Map<string, Cursor>();
  private stopping = false;
  private patience: Patience;

  constructor(private ch: ClickHouse, private o: ShipOptions, private report: (d: Diagnostic) => void) {
    this.patience = new Patience(ch.target.url.host, o.maxBackoffMs, report, () => this.stopping, () => this.pendingRows());
  }

  stop(): void { this.stopping = true; }

  private pendingRows(): number {
    return [...this.cursors.values()].reduce((n, x) => n + x.batch.rows, 0);
  }

  /** One pass over the files (and in follow mode, a pass every interval until stop()). */
  async run(): Promise<ShippedLog[]> {
    const watermarks = await this.patience.retrying(() => serverWatermarks(this.ch, this.o.host), 'asking how far earlier runs got');
    for (;;) {
      const files = expandPaths(this.o.paths, this.report, 'none').filter((f) => SHIPPABLE.test(basename(f)));
      for (const f of files) {
        if (this.stopping) break;
        await this.shipFile(f, watermarks);
      }
      if (!this.o.follow || this.stopping) break;
      await this.patience.sleep(this.o.intervalMs);
      if (this.stopping) break;
    }
    return [...this.cursors.values()].map((c) => c.result);
  }

  private async shipFile(path: string, watermarks: Map<string, number>): Promise<void> {
    const name = basename(path);
    const id = name.endsWith('.gz') ? name.slice(0, -3) : name;
    let c = this.cursors.get(id);
    const gz = name.endsWith('.gz');
    if (c && (c.done || c.failed)) return;
    if (c && c.gz !== gz) {
      // The file a logger was writing was rotated (compressed): read the .gz, past what was handled.
      c = this.cursor(id, path, gz, c.handled, c.result);
    }
    if (!c) {
      const known = Math.max(this.o.state.Files[id]?.Line ?? 0, watermarks.get(id) ?? 0);
      if (this.o.state.Files[id]?.Done) {
        const done = this.cursor(id, path, gz, known, null, true);
        done.result.Table = this.o.state.Files[id].Table ?? null;
        this.cursors.set(id, done);
        return;
      }
      c = this.cursor(id, path, gz, known, null);
    }
    this.cursors.set(id, c);
    try {
      if (c.gz) await this.readGzip(c);
      else await this.readPlain(c);
      await this.flush(c);
      await this.settle(c);
    } catch (e) {
      if (e instanceof ClickHouseError && FATAL.has(e.serverCode ?? -1)) throw e;
      c.failed = true;
      this.report({ Level: 'error', Code: 'PR_SHIP_FILE', Message: `${path}: not shipped past line ${c.handled}: ${(e as Error).message}`, Target: path });
    }
  }

  private cursor(id: string, path: string, gz: boolean, resume: number, result: ShippedLog | null, done = false): Cursor {
    const c: Cursor = {
      id, path, gz, kind: null, table: null, prefix: '', insert: '', header: 0, offset: 0, resume, seen: resume, handled: resume,
      batch: new Batch(BATCH_CAPACITY, MAX_BATCH_BYTES + 2 * CHUNK), inflight: null, done, failed: false, reader: null as unknown as FastCsvReader,
      result: result ?? { RecordType: 'ShippedLog', Source: path, ShipFile: id, Table: null, Rows: 0, BadRows: 0, Line: resume, Complete: done },
    };
    c.result.Source = path;
    c.reader = new FastCsvReader((cells, line) => this.row(c, cells, line), (line, reason) => this.bad(c, line, reason), undefined,
      (raw, line, fields) => this.plain(c, raw, line, fields));
    return c;
  }

  /** A line without a quote: sent on as it is when its cells are plain, else written again cell by cell. */
  private plain(c: Cursor, raw: string, line: number, fields: number): void {
    if (c.kind === null || fields !== c.header || !PLAIN_LINE.test(raw)) { this.row(c, raw.split(','), line); return; }
    if (line <= c.resume || c.failed) return;
    c.seen = line;
    c.batch.add(line, `${c.prefix}${line},${raw}\n`);
  }

  private row(c: Cursor, cells: string[], line: number): void {
    if (c.kind === null) {
      if (c.failed) return;
      const kind = line === 1 ? ourKind(cells.join(',')) : null;
      const table = kind ? TABLES[kind] : null;
      const unknown = cells.filter((h) => !table?.columns.includes(h));
      if (!kind || !table || unknown.length || new Set(cells).size !== cells.length) {
        c.failed = true;
        this.report({ Level: 'error', Code: 'PR_SHIP_UNKNOWN_FORMAT', Message: `${c.path}:1: not a PortReport log header${unknown.length ? ` (unknown columns: ${unknown.slice(0, 3).map((u) => quoted(u)).join(', ')})` : ''}; not shipped`, Target: c.path });
        return;
      }
      c.kind = kind;
      c.table = table.table;
      c.header = cells.length;
      c.result.Table = table.table;
      c.prefix = `${csvCell(this.o.host)},${csvCell(c.id)},`;
      c.insert = `INSERT INTO ${sqlIdent(this.ch.target.database)}.${sqlIdent(table.table)} (${[...SHIP_COLUMNS, ...cells].map(sqlIdent).join(', ')}) FORMAT CSV`;
      return;
    }
    if (line <= c.resume || c.failed) return;
    c.seen = line;
    if (cells.length !== c.header) { this.bad(c, line, `row: expected ${c.header} fields, found ${cells.length}`); return; }
    c.batch.add(line, csvRow(`${c.prefix}${line},`, cells));
  }

  private bad(c: Cursor, line: number, reason: string): void {
    if (line <= c.resume) return;
    c.seen = Math.max(c.seen, line);
    c.result.BadRows++;
    this.report({ Level: 'warning', Code: 'PR_SHIP_BAD_ROW', Message: `${c.path}:${line}: ${reason}; not shipped`, Target: c.path });
  }

  private full(c: Cursor): boolean {
    return c.batch.rows >= this.o.batchRows || c.batch.bytes >= MAX_BATCH_BYTES;
  }

  /** The file a logger may still be writing: from where the last pass stopped to its end now; a row not yet ended waits for the next pass. */
  private async readPlain(c: Cursor): Promise<void> {
    const fd = openLogFile(c.path);
    try {
      const size = fstatSync(fd).size;
      if (c.offset === 0 && size >= 2) {
        const first = Buffer.alloc(2);
        readSync(fd, first, 0, 2, 0);
        if (isGzip(first)) throw new Error('a gzip file without the .gz name');
      }
      const buf = Buffer.alloc(CHUNK);
      while (c.offset < size && !this.stopping) {
        const n = readSync(fd, buf, 0, Math.min(CHUNK, size - c.offset), c.offset);
        if (n <= 0) break;
        c.offset += n;
        c.reader.push(buf.subarray(0, n));
        if (this.full(c)) await this.flush(c);
        // Let the batch in flight reach the socket while the next is read (reading is synchronous).
        else if (c.inflight) await turn();
      }
    } finally { closeSync(fd); }
  }

  private async readGzip(c: Cursor): Promise<void> {
    const first = Buffer.alloc(2);
    const fd = openLogFile(c.path);
    try { readSync(fd, first, 0, 2, 0); } finally { closeSync(fd); }
    const input = openOurLog(c.path, first);
    for await (const chunk of input) {
      c.reader.push(chunk as Buffer);
      if (this.full(c)) await this.flush(c);
      else if (c.inflight) await turn();
      if (this.stopping) { input.destroy(); return; }
    }
    c.reader.end();
    c.done = true;
  }

  /**
   * Cut the batch and send it while the next one is read: the one before must have landed first
   * (one batch of a file in flight at a time keeps the file's watermark exact).
   */
  private async flush(c: Cursor): Promise<void> {
    await this.settle(c);
    const p: Pending = { batch: c.batch, seen: c.seen, done: c.done };
    c.batch = new Batch(BATCH_CAPACITY, MAX_BATCH_BYTES + 2 * CHUNK);
    c.inflight = this.deliver(c, p);
    // Keep a failure for settle(), not as an unhandled rejection meanwhile.
    c.inflight.catch(() => {});
  }

  /** Wait for the batch in flight, if any (its failure is thrown here). */
  private async settle(c: Cursor): Promise<void> {
    const f = c.inflight;
    c.inflight = null;
    if (f) await f;
  }

  /** Send one batch; after a failure, learn from the cluster what landed before sending the rest. Then record the watermark. */
  private async deliver(c: Cursor, p: Pending): Promise<void> {
    let attempt = 0;
    while (p.batch.rows) {
      const id = createHash('sha256').update(`${this.o.host}\n${c.id}\n${p.batch.firstLine}`).digest('hex').slice(0, 32);
      try {
        await this.ch.query(c.insert, p.batch.body(), { ...SETTINGS, query_id: id });
        c.result.Rows += p.batch.rows;
        this.patience.recovered();
        break;
      } catch (e) {
        if (!isTransient(e) && !(e instanceof ClickHouseError && e.serverCode === 216)) throw e;
        await this.patience.backoff(attempt++, e, p.batch.rows, ` (${c.path} after line ${c.handled})`);
        const held = await this.patience.retrying(() => fileWatermark(this.ch, this.o.host, c.table!, c.id), 'asking what landed');
        c.result.Rows += p.batch.landedThrough(held);
      }
    }
    if (p.seen > c.handled || p.done !== c.result.Complete) {
      c.handled = Math.max(c.handled, p.seen);
      c.result.Line = c.handled;
      c.result.Complete = p.done;
      this.o.state.Files[c.id] = { Line: c.handled, Done: p.done, Table: c.table };
      writeState(this.o.statePath, this.o.state);
    }
  }
}
