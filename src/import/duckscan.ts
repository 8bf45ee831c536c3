/**
 * Filtered imports of large connection logs at DuckDB's speed (docs/import.md, "Engines").
 *
 * DuckDB scans the file (opened here without following links and handed over as /proc/self/fd/N)
 * and returns only the rows that may match the filter (pushdown.ts writes a superset of it), plus
 * every row the importer must judge itself: a number or a time not written plainly. Each returned
 * row then goes through the same RowConverter and ImportFilter as in the streaming importer, so the
 * records and the warnings are the same by construction.
 *
 * DuckDB reads the text as UTF-8 (as Latin-1 the scan costs 2.7 times as much): a row that is not
 * UTF-8 is a DuckDB error, so the streaming importer takes such a file over from there; cells that
 * are UTF-8 go back to the bytes the streaming reader sees.
 *
 * DuckDB's reader has no line numbers, and numbering rows in SQL makes the scan run on one thread:
 * LineLocator (linelocate.ts) finds each returned row as a whole line of the file, in order, and
 * stops at the first line where DuckDB and the streaming reader could part ways (a quote, a blank
 * line). From that line on, and after any DuckDB error (a row of the wrong width, an overlong line,
 * text that is not UTF-8), the streaming importer reads the file again. duckScan returns the line
 * it must start at, or null.
 */
import { closeSync, fstatSync } from 'node:fs';
import { LineLocator } from './linelocate.js';
import { ident, sqlString } from '../analyze/expr.js';
import { ImportError } from './errors.js';
import { openLogFile, isGzip } from './importer.js';
import { ourKind, RowConverter } from './ourlogs.js';
import { PLAIN_TIME, pushdownSql } from './pushdown.js';
import type { ImportFilterSpec } from './filter.js';
import type { ImportedRecord } from './records.js';
import type { Diagnostic } from '../model/diagnostic.js';

export type ImportEngine = 'auto' | 'stream' | 'duckdb';

const NON_ASCII = /[^\x00-\x7f]/;

/** Below this, a file streams: DuckDB's start-up costs more than it saves. */
export const DUCKDB_MIN_BYTES = 64 << 20;
/** Kept below the streaming reader's 1 MiB record bound, so a line near it errs here and streams there. */
const MAX_LINE = 1_000_000;
/** Columns the importer reads as numbers (RowConverter.num). */
const NUMERIC = ['LocalPort', 'RemotePort', 'ProcessId', 'DurationSeconds', 'BytesSent', 'BytesReceived'];
/**
 * A cell the importer reads as a finite number, tested with DuckDB's own cast (cheaper than any
 * character test): what the cast takes and JavaScript does not (1_000; a sign before 0x10; inf,
 * nan and overflow for DOUBLE) is ruled out, and a cell not starting with a digit is always judged.
 */
const plainNumber = (c: string, dot: boolean) => dot
  ? `(${c} >= '0' AND coalesce(isfinite(TRY_CAST(${c} AS DOUBLE)), false) AND NOT contains(${c}, '_'))`
  : `(${c} >= '0' AND TRY_CAST(${c} AS UBIGINT) IS NOT NULL AND NOT contains(${c}, '_'))`;
/**
 * A time the importer takes without question: as our logs write it (UTC, milliseconds), digits
 * where digits go, and a real day and hour (DuckDB's cast; it also takes hour 24, ruled out here).
 */
const plainTime = (c: string) => `(${c} GLOB '${PLAIN_TIME}' AND substr(${c}, 12, 2) <= '23' AND TRY_CAST(${c} AS TIMESTAMP) IS NOT NULL)`;

/** The scan's SQL: every cell as text, in file order, rows that may match `where` or need the importer's judgement. */
export function scanSql(source: string, header: string[], where: string): string {
  const cols = header.map((h) => `${sqlString(h)}: 'VARCHAR'`).join(', ');
  const csv = `read_csv(${sqlString(source)}, header = true, auto_detect = false, columns = {${cols}}, delim = ',', quote = '"', escape = '"', `
    + `new_line = '\\n', strict_mode = true, null_padding = false, ignore_errors = false, max_line_size = ${MAX_LINE})`;
  const judge = [...NUMERIC.filter((c) => header.includes(c)), 'Time'].map((c) =>
    `(${ident(c)} IS NOT NULL AND NOT ${c === 'Time' ? plainTime(ident(c)) : plainNumber(ident(c), c === 'DurationSeconds')})`);
  return `SELECT * FROM ${csv} WHERE (${where}) OR ${judge.join(' OR ')}`;
}

/**
 * Scan one plain connections log; `onRow` gets each returned row's Latin-1 cells and line, in
 * order; `onProgress`, every quarter second, how many of the file's bytes are behind (DuckDB's own
 * progress of the scan, or the last row located when that is further). Returns the line the
 * streaming importer must read the file from, or null when the scan covered it all.
 */
export async function duckScan(file: string, header: string[], where: string, onRow: (cells: string[], line: number) => void,
  onProgress: (bytes: number) => void = () => {}): Promise<number | null> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const fd = openLogFile(file);
  const size = fstatSync(fd).size;
  const lines = new LineLocator(fd);
  let lastLine = 1;
  try {
    const db = await DuckDBInstance.create(':memory:', { memory_limit: '512MB' });
    const conn = await db.connect();
    // The scan's progress is tracked only with the progress bar on; nothing is printed.
    await conn.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false; SET progress_bar_time = 0');
    const tick = setInterval(() => {
      const pct = conn.progress.percentage;
      onProgress(Math.min(size, Math.max(lines.offset, pct > 0 ? Math.floor((pct / 100) * size) : 0)));
    }, 250);
    try {
      let result;
      try { result = await conn.stream(scanSql(`/proc/self/fd/${fd}`, header, where)); } catch { return 2; }
      for (;;) {
        let chunk;
        try { chunk = await result.fetchChunk(); } catch { return lastLine + 1; }
        if (!chunk || chunk.rowCount === 0) break;
        for (const row of chunk.getRows()) {
          const cells = new Array<string>(row.length);
          for (let i = 0; i < row.length; i++) {
            const v = row[i] as string | null;
            cells[i] = v === null ? '' : NON_ASCII.test(v) ? Buffer.from(v, 'utf8').toString('latin1') : v;
          }
          const at = await lines.locate(Buffer.from(cells.join(','), 'latin1'));
          if ('irregular' in at) return at.irregular;
          onRow(cells, at.line);
          lastLine = at.line;
        }
      }
    } finally {
      clearInterval(tick);
      conn.closeSync();
      db.closeSync();
    }
    return await lines.rest();
  } finally {
    closeSync(fd);
  }
}

/**
 * Import one of our logs (its first bytes in `first`) with the DuckDB scan where that pays:
 * `--engine duckdb`, or `auto` with a plain connections log of at least DUCKDB_MIN_BYTES and a
 * filter that can be pushed into the scan; on Linux only (/proc/self/fd). `onProgress` hears how
 * many of the file's bytes the scan is past. Returns the line the streaming importer must read
 * the file from: 1 when the scan was not used, 0 when it covered all.
 */
export async function importWithDuckDb(file: string, first: Buffer, size: number, engine: Exclude<ImportEngine, 'stream'>, spec: ImportFilterSpec,
  emit: (r: ImportedRecord) => void, onError: (e: ImportError) => void, report: (d: Diagnostic) => void,
  onProgress?: (bytes: number) => void): Promise<number> {
  if (process.platform !== 'linux' || isGzip(first)) return 1;
  const nl = first.indexOf(0x0a);
  const headerText = nl < 0 ? '' : first.subarray(0, nl).toString('latin1');
  if (ourKind(headerText) !== 'connections' || headerText.includes('"') || headerText.includes('\r')) return 1;
  const header = headerText.split(',');
  let where = pushdownSql(spec, header);
  if (engine === 'auto' && (where === null || size < DUCKDB_MIN_BYTES)) return 1;
  where ??= 'true';
  try { await import('@duckdb/node-api'); } catch { return 1; }
  const conv = new RowConverter('connections', header, file);
  const from = await duckScan(file, header, where, (cells, line) => {
    try { emit(conv.convert(cells, line)); } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      onError(e);
    }
  }, onProgress);
  report({ Level: 'verbose', Code: 'PR_IMPORT_DUCKDB', Target: file, Message: from === null
    ? `${file}: read by the DuckDB scan`
    : `${file}: read by the DuckDB scan up to line ${from - 1}, then by the streaming reader (a quote, a blank line or a row DuckDB could not read there)` });
  return from ?? 0;
}
