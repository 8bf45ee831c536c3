/**
 * Compacted logs (portreport compact): one of our CSV logs as Parquet, with nothing lost. Each row
 * keeps its cells exactly as the log wrote them (Latin-1 text, one character a byte, formula guards
 * and all), its line in the CSV, and the problem the importer found in it (or none). So an import
 * of the twin gives the same records and the same warnings, with the same lines, as the CSV gave;
 * analyses load their ev/pr projection of the rows without a problem (analyze/engine/load.ts).
 *
 * Columns: Line, BadCode, BadField, BadReason, then the log's own header, in its order.
 */
import type { Readable } from 'node:stream';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { globLiteral, ident, sqlString } from '../analyze/expr.js';
import { ImportError } from './errors.js';
import { FastCsvReader } from './fastcsv.js';
import { ourKind, RowConverter, type OurKind } from './ourlogs.js';
import type { ImportedRecord } from './records.js';
import type { ImportFilterSpec } from './filter.js';
import { pushdownSql } from './pushdown.js';

export const PARQUET_META = ['Line', 'BadCode', 'BadField', 'BadReason'];

const literal = (path: string) => sqlString(globLiteral(path));

/**
 * Read one of our CSV logs (its bytes from `input`) into `table` of `conn`, every row with its line
 * and its problem; returns the log's kind and header, or throws ImportError for the whole file
 * (not one of our logs). With strict, the first bad row throws.
 */
export async function loadLogRows(conn: DuckDBConnection, table: string, input: Readable, file: string, strict: boolean): Promise<{ kind: OurKind; header: string[]; rows: number; bad: number }> {
  let conv: RowConverter | null = null;
  let header: string[] = [];
  let bad = 0;
  // Rows of the chunk just read; the reader is synchronous, the appender is made once the header is known.
  const queue: Array<[number, ImportError | null, string[] | null]> = [];
  const problem = (line: number, e: ImportError, cells: string[] | null) => {
    if (strict) throw e;
    bad++;
    queue.push([line, e, cells]);
  };
  const reader = new FastCsvReader((cells, line) => {
    if (!conv) {
      const kind = ourKind(cells.join(','));
      if (!kind) throw new ImportError('PR_IMPORT_UNKNOWN_FORMAT', file, line, null, 'not a PortReport log (unknown header)');
      conv = new RowConverter(kind, cells, file);
      header = cells;
      return;
    }
    try {
      conv.convert(cells, line);
      queue.push([line, null, cells]);
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      problem(line, e, cells);
    }
  }, (line, reason) => problem(line, new ImportError('PR_IMPORT_BAD_CSV', file, line, null, reason), null));

  let appender: DuckDBAppender | null = null;
  let rows = 0;
  const drain = async () => {
    if (!appender) {
      const cols = [...PARQUET_META.map((c) => `${ident(c)} ${c === 'Line' ? 'INTEGER' : 'VARCHAR'}`), ...header.map((h) => `${ident(h)} VARCHAR`)];
      await conn.run(`CREATE OR REPLACE TABLE ${ident(table)} (${cols.join(', ')})`);
      appender = await conn.createAppender(table);
    }
    const a: DuckDBAppender = appender;
    for (const [line, e, cells] of queue) {
      a.appendInteger(line);
      if (e) { a.appendVarchar(e.code); if (e.field === null) a.appendNull(); else a.appendVarchar(e.field); a.appendVarchar(e.reason); }
      else { a.appendNull(); a.appendNull(); a.appendNull(); }
      // A row of the wrong width keeps no cells: its problem says what it was, as the CSV import does.
      const keep = cells !== null && cells.length === header.length;
      for (let i = 0; i < header.length; i++) {
        if (keep) a.appendVarchar(cells[i]); else a.appendNull();
      }
      a.endRow();
      rows++;
    }
    queue.length = 0;
  };
  for await (const chunk of input) {
    reader.push(chunk as Buffer);
    if (conv) await drain();
  }
  reader.end();
  if (!conv) throw new ImportError('PR_IMPORT_UNKNOWN_FORMAT', file, null, null, 'not a PortReport log (no header)');
  await drain();
  (appender as DuckDBAppender | null)?.closeSync();
  return { kind: (conv as RowConverter).kind, header, rows, bad };
}

/** The header a compacted log keeps (its columns after the four of PARQUET_META). */
export async function parquetHeader(conn: DuckDBConnection, file: string): Promise<string[]> {
  const r = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(file)})`);
  const names = r.getRowObjectsJS().map((x) => String(x.column_name));
  if (PARQUET_META.some((m, i) => names[i] !== m)) {
    throw new ImportError('PR_IMPORT_UNKNOWN_FORMAT', file, null, null, 'not a compacted PortReport log (its columns are not Line, BadCode, BadField, BadReason, then a log header); compact its CSV again');
  }
  return names.slice(PARQUET_META.length);
}

/** Stream a compacted log's rows back into records: the CSV's records and warnings, in order. */
export async function readParquetLog(file: string, emit: (r: ImportedRecord) => void, onError: (e: ImportError) => void, spec: ImportFilterSpec = {}): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    let header: string[];
    try { header = await parquetHeader(conn, file); } catch (e) {
      if (e instanceof ImportError) throw e;
      throw new ImportError('PR_IMPORT_UNREADABLE', file, null, null, `not a readable Parquet file (${String((e as Error).message).split('\n')[0]})`);
    }
    const kind = ourKind(header.join(','));
    if (!kind) throw new ImportError('PR_IMPORT_UNKNOWN_FORMAT', file, null, null, 'not a compacted PortReport log (unknown header)');
    const conv = new RowConverter(kind, header, file);
    // A connections log's filter goes into the scan (pushdown.ts: a superset; the filter decides
    // on each row). Rows without a problem convert as they did when the log was compacted.
    const pushed = kind === 'connections' ? pushdownSql(spec, header) : null;
    const where = pushed ? ` WHERE "BadCode" IS NOT NULL OR (${pushed})` : '';
    const result = await conn.stream(`SELECT * FROM read_parquet(${literal(file)})${where} ORDER BY "Line"`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const row of chunk.getRows()) {
        const line = Number(row[0]);
        if (row[1] !== null) {
          onError(new ImportError(String(row[1]), file, line, row[2] === null ? null : String(row[2]), String(row[3])));
          continue;
        }
        const cells = row.slice(PARQUET_META.length).map((c) => (c === null ? '' : String(c)));
        try { emit(conv.convert(cells, line)); } catch (e) {
          if (!(e instanceof ImportError)) throw e;
          onError(e);
        }
      }
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
