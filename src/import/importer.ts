/**
 * `portreport import`: files, folders (their log files) or both; plain or gzip; our logs and
 * Port Reporter 1.x logs, each detected by content. A bad row is reported (file, line, reason) and
 * skipped; a file that cannot be read, is truncated or has an unknown format is an error for that
 * file only. Progress (bytes read of total) is reported for long imports.
 */
import { closeSync, createReadStream, fstatSync, lstatSync, readdirSync, readSync, statSync } from 'node:fs';
import { FileReadError, openRegular, readRegularFile } from '../util/files.js';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { Diagnostic } from '../model/diagnostic.js';
import { ImportError } from './errors.js';
import { ImportFilter, type ImportFilterSpec } from './filter.js';
import { parsePrPids, parsePrPorts } from './legacy.js';
import { PidIndex, portRowToRecord, processBlockToRecord } from './legacyjoin.js';
import { readOurLog, type PlainRowHook } from './ourlogs.js';
import type { ImportedRecord } from './records.js';
import type { ImportEngine } from './duckscan.js';
import { decodeText, detectEncoding } from './text.js';
import { Progress, sizeText } from '../util/progress.js';

export interface ImportOptions {
  paths: string[];
  filter: ImportFilterSpec;
  strict: boolean;
  /** How our connection logs are read (duckscan.ts); stream when not given. */
  engine?: ImportEngine;
  /** Writes plain rows of our logs itself where no filter is given (either output form, output/plaincells.ts). */
  plainRow?: PlainRowHook;
}

export interface ImportSummary { files: number; failedFiles: number; records: number; badRows: number }

const LOG_NAME = /^(portreport-(initial|connections|processes)-v1-.*\.csv(\.gz)?|PR-(PORTS|PIDS|INITIAL)-.*\.log(\.gz)?)$/i;
const PARQUET_NAME = /^portreport-(initial|connections|processes)-v1-.*\.parquet$/i;
/** A CSV log's compacted twin (portreport compact) has its name with .parquet for .csv[.gz]. */
export const parquetTwin = (name: string): string => name.replace(/\.csv(\.gz)?$/i, '.parquet');

/** A Port Reporter 1.x log is read whole: at most this much (after gunzip). Genuine ones are far smaller. */
export const MAX_LEGACY_BYTES = 64 << 20;
/** A gzip that inflates past this ratio (once past 64 MiB out) is a decompression bomb, not a log. */
export const MAX_GZIP_RATIO = 100;
const BOMB_FLOOR = 64 << 20;

/**
 * Open a log file for reading: never blocking (a FIFO would hang the import), and only a regular
 * file. Throws ImportError naming the file.
 */
export function openLogFile(path: string): number {
  try { return openRegular(path); } catch (e) {
    const err = e as FileReadError;
    throw new ImportError(err.code === 'PR_NOT_A_FILE' ? 'PR_IMPORT_NOT_A_FILE' : 'PR_IMPORT_UNREADABLE', path, null, null, err.message);
  }
}

/**
 * Expand folders to the log files in them (sorted), keep files as given (a missing one fails later,
 * as that file). In a folder only regular files are taken: links (which may point outside it),
 * FIFOs and devices are reported and left alone. A compacted log's Parquet twin (portreport
 * compact) is taken with 'prefer' in place of its CSV (analyses: faster), with 'fallback' only
 * where the CSV is gone (imports: the CSV streams without DuckDB), never with 'none'.
 */
export function expandPaths(paths: string[], report: (d: Diagnostic) => void, parquet: 'prefer' | 'fallback' | 'none'): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try { st = statSync(p); } catch {
      out.push(p);
      continue;
    }
    if (st.isDirectory()) {
      const entries = readdirSync(p, { withFileTypes: true });
      for (const e of entries) {
        if (!e.isFile() && (LOG_NAME.test(e.name) || PARQUET_NAME.test(e.name))) {
          report({ Level: 'warning', Code: 'PR_IMPORT_NOT_A_FILE', Message: `${join(p, e.name)}: not a regular file (${e.isSymbolicLink() ? 'a symbolic link' : 'a FIFO, device or socket'}); skipped`, Target: join(p, e.name) });
        }
      }
      const all = entries.filter((e) => e.isFile()).map((e) => e.name);
      const logs = all.filter((n) => LOG_NAME.test(n));
      const twins = new Set(parquet === 'none' ? [] : all.filter((n) => PARQUET_NAME.test(n)));
      const withCsv = new Set(logs.map(parquetTwin));
      const names = parquet === 'prefer'
        ? [...logs.filter((n) => !twins.has(parquetTwin(n))), ...twins]
        : [...logs, ...[...twins].filter((t) => !withCsv.has(t))];
      names.sort();
      if (names.length === 0) report({ Level: 'warning', Code: 'PR_IMPORT_EMPTY_FOLDER', Message: `${p}: no PortReport or Port Reporter logs in this folder`, Target: p });
      out.push(...names.map((n) => join(p, n)));
    } else out.push(p);
  }
  return out;
}

export function head(path: string): Buffer {
  const fd = openLogFile(path);
  try {
    const b = Buffer.alloc(4096);
    return b.subarray(0, readSync(fd, b, 0, b.length, 0));
  } finally { closeSync(fd); }
}

export const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** Whole (small) legacy file as text; gzip allowed; at most MAX_LEGACY_BYTES, read or inflated. */
function legacyText(path: string): string {
  const tooLarge = (what: string) => new ImportError('PR_IMPORT_TOO_LARGE', path, null, null, `${what} more than ${MAX_LEGACY_BYTES} bytes, far beyond any Port Reporter 1.x log; skipped`);
  let bytes: Buffer;
  try { bytes = readRegularFile(path, MAX_LEGACY_BYTES); } catch (e) {
    const err = e as FileReadError;
    if (err.code === 'PR_TOO_LARGE') throw tooLarge('holds');
    throw new ImportError(err.code === 'PR_NOT_A_FILE' ? 'PR_IMPORT_NOT_A_FILE' : 'PR_IMPORT_UNREADABLE', path, null, null, err.message);
  }
  if (isGzip(bytes)) {
    try { bytes = gunzipSync(bytes, { maxOutputLength: MAX_LEGACY_BYTES }); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge('inflates to');
      throw new ImportError('PR_IMPORT_TRUNCATED', path, null, null, `not a whole gzip stream (${(e as Error).message})`);
    }
  }
  return decodeText(bytes, detectEncoding(bytes) === 'utf-8' ? 'windows-1252' : 'utf-16le').text;
}

/**
 * Counts what a gzip stream inflates to and fails it once it passes MAX_GZIP_RATIO times the
 * compressed size (beyond a 64 MiB floor): the rows before that point are kept.
 */
function bombGuard(file: string, compressed: number): Transform {
  let out = 0;
  const limit = Math.max(BOMB_FLOOR, compressed * MAX_GZIP_RATIO);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      out += chunk.length;
      if (out > limit) done(new ImportError('PR_IMPORT_TOO_LARGE', file, null, null, `the gzip stream inflates past ${MAX_GZIP_RATIO} times its ${compressed} bytes (a decompression bomb?); the records before that point were imported`));
      else done(null, chunk);
    },
  });
}

/** The PR-PIDS log a PR-PORTS log names, in the same folder only: a plain name, a regular file (not a link). */
/**
 * One of our logs as a byte stream (gunzipped when it is gzip, guarded against decompression
 * bombs); `read` hears how many file bytes were read, for progress.
 */
export function openOurLog(file: string, first: Buffer, read?: (bytes: number) => void): Readable {
  const fd = openLogFile(file);
  const raw = createReadStream('', { fd });
  if (read) raw.on('data', (c) => read(c.length));
  if (!isGzip(first)) return raw;
  const gunzip = raw.pipe(createGunzip());
  const guard = gunzip.pipe(bombGuard(file, fstatSync(fd).size));
  raw.on('error', (e) => guard.destroy(e));
  gunzip.on('error', (e) => guard.destroy(e));
  guard.on('error', () => raw.destroy());
  return guard;
}

/** A failure while streaming one of our logs as the ImportError for that file (a cut gzip: PR_IMPORT_TRUNCATED). */
export function streamError(e: unknown, file: string, kept: string): ImportError {
  if (e instanceof ImportError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  return new ImportError(code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR' ? 'PR_IMPORT_TRUNCATED' : 'PR_IMPORT_UNREADABLE', file, null, null,
    code === 'Z_BUF_ERROR' ? `the gzip stream ends early (truncated file); ${kept}` : (e as Error).message);
}

function pidsPathFor(file: string, name: string): string | null {
  if (!/^PR-PIDS-[A-Za-z0-9._ -]+\.log(\.gz)?$/i.test(name) || name.includes('..')) return null;
  const p = join(dirname(file), name);
  try { return lstatSync(p).isFile() ? p : null; } catch { return null; }
}

/**
 * The computer a Port Reporter 1.x log is of, from its name (PR-PORTS-<computer>-MMDD-YYMM-HHMMSS.log):
 * for rows whose PR-PIDS log (which says "Local computer name:") is not at hand.
 */
export function legacyHostFromName(file: string): string | null {
  const m = /^PR-(?:PORTS|PIDS|INITIAL)-(.+)-\d{4}-\d{4}-\d{6}\.log$/i.exec(basename(file));
  return m ? m[1] : null;
}

export type Sniffed = 'ours' | 'parquet' | 'pr-ports' | 'pr-pids' | null;

/** What a log file is, from its first bytes (and its name, for headerless legacy files). */
export function sniff(path: string, first: Buffer): Sniffed {
  let bytes = first;
  if (PARQUET_NAME.test(basename(path)) && bytes.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  if (isGzip(bytes)) {
    try { bytes = gunzipSync(bytes, { finishFlush: 2 /* Z_SYNC_FLUSH: a prefix is enough */ }); } catch { bytes = Buffer.alloc(0); }
  }
  const text = decodeText(bytes.subarray(0, 2048)).text;
  if (/^(Time,Event,|Event,ObservedAt,)/.test(text)) return 'ours';
  if (/Port Reporter[^\n]*Port usage log/i.test(text) || (/^PR-PORTS-/i.test(basename(path)) && /\d{1,4}\/\d{1,2}\/\d{1,2},/.test(text))) return 'pr-ports';
  if (/System Date:|Process ID:\s*\d+/i.test(text) || /^PR-(PIDS|INITIAL)-/i.test(basename(path))) return 'pr-pids';
  return null;
}

export async function runImport(opts: ImportOptions, emit: (r: ImportedRecord) => void, report: (d: Diagnostic) => void): Promise<ImportSummary> {
  const filter = new ImportFilter(opts.filter);
  const files = expandPaths(opts.paths, report, 'fallback');
  const sizes = files.map((f) => { try { return statSync(f).size; } catch { return 0; } });
  const total = sizes.reduce((a, b) => a + b, 0);
  const summary: ImportSummary = { files: 0, failedFiles: 0, records: 0, badRows: 0 };
  let done = 0;
  let current = 0;
  const meter = new Progress(report, 'Importing logs');
  const progress = (force = false) => {
    const bytes = done + current;
    meter.update(bytes, total, `${sizeText(bytes)} of ${sizeText(total)} read, ${summary.records} records`, force);
  };
  const out = (r: ImportedRecord) => { if (filter.matches(r)) { summary.records++; emit(r); } };
  const hook = opts.plainRow;
  const plainRow: PlainRowHook | undefined = hook && filter.empty ? (cells, line, raw, conv) => {
    if (!hook(cells, line, raw, conv)) return false;
    summary.records++;
    return true;
  } : undefined;
  const bad = (e: ImportError) => {
    summary.badRows++;
    report({ Level: 'warning', Code: e.code, Message: e.message, Target: e.file });
  };

  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    current = 0;
    summary.files++;
    try {
      let first: Buffer;
      try { first = head(file); } catch (e) {
        if (e instanceof ImportError) throw e;
        throw new ImportError('PR_IMPORT_UNREADABLE', file, null, null, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
      }
      const kind = sniff(file, first);
      if (kind === null) throw new ImportError('PR_IMPORT_UNKNOWN_FORMAT', file, null, null, 'not a PortReport or Port Reporter 1.x log');
      if (kind === 'ours') {
        const onErr = (e: ImportError) => { if (opts.strict) throw e; bad(e); };
        let from = 1;
        if (opts.engine && opts.engine !== 'stream') {
          const scanned = (n: number) => meter.update(done + n, total, `${file}: scanning with DuckDB, ${sizeText(done + n)} of ${sizeText(total)}, ${summary.records} records`);
          from = await (await import('./duckscan.js')).importWithDuckDb(file, first, sizes[i], opts.engine, opts.filter, out, onErr, report, scanned);
        }
        const input = from === 0 ? null : openOurLog(file, first, (n) => { current += n; progress(); });
        try {
          if (input) await readOurLog(input, file, out, onErr, opts.strict, from, plainRow);
        } catch (e) {
          throw streamError(e, file, 'the records before the cut were imported');
        }
      } else if (kind === 'parquet') {
        // A compacted log whose CSV is gone (portreport compact --delete-source): the same records
        // and the same warnings as the CSV gave. DuckDB is loaded only when one is read.
        const { readParquetLog } = await import('./parquet.js');
        await readParquetLog(file, out, (e) => { if (opts.strict) throw e; bad(e); }, opts.filter);
        current = sizes[i];
      } else {
        const text = legacyText(file);
        const onErr = (e: ImportError) => { if (opts.strict) throw e; bad(e); };
        if (kind === 'pr-ports') {
          const ports = parsePrPorts(text, file, onErr);
          let pids = null;
          if (ports.pidsFile) {
            const pidsPath = pidsPathFor(file, ports.pidsFile);
            try {
              if (!pidsPath) throw new Error('not a plain file name in this folder');
              pids = parsePrPids(legacyText(pidsPath), pidsPath, () => {});
            } catch {
              report({ Level: 'warning', Code: 'PR_IMPORT_NO_PIDS', Message: `${file}: its process data ${JSON.stringify(ports.pidsFile)} was not found as a regular file next to it; rows keep only their image name and user`, Target: file });
            }
          }
          const index = new PidIndex(pids);
          const host = pids?.computer ?? legacyHostFromName(file);
          for (const r of ports.rows) out(portRowToRecord(r, file, index, host));
        } else {
          const pids = parsePrPids(text, file, onErr);
          const host = pids.computer ?? legacyHostFromName(file);
          for (const p of pids.processes) out(processBlockToRecord(p, file, host));
        }
      }
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      if (opts.strict) throw e;
      summary.failedFiles++;
      report({ Level: 'error', Code: e.code, Message: e.message, Target: e.file });
    }
    done += sizes[i];
    current = 0;
    progress();
  }
  progress(true);
  return summary;
}
