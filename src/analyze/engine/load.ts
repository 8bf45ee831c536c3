/**
 * Loading logs into DuckDB's ev and pr tables: our CSV logs by DuckDB's own reader (plain or gzip),
 * compacted Parquet logs as they are, everything else through the TypeScript importer. Text is held
 * as Latin-1 (one character a byte), so any byte sequence groups exactly.
 */
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { Diagnostic } from '../../model/diagnostic.js';
import { head, isGzip, runImport, sniff, type ImportSummary } from '../../import/importer.js';
import { ourKind, type OurKind } from '../../import/ourlogs.js';
import { parquetHeader } from '../../import/parquet.js';
import { decodeBytes, encodeBytes } from '../../util/bytes.js';
import { CONN_TEXT, CONNECTION_LOG_COLUMNS, INITIAL_LOG_COLUMNS, INITIAL_TEXT, PROC_TEXT, PROCESS_LOG_COLUMNS } from '../../watch/logformat.js';
import { globLiteral, ident, sqlString, type Row, type Value } from '../expr.js';
import { ISO_TIME_PATTERN } from '../../util/time.js';
import { EV_COLUMNS, fromImported, PR_COLUMNS, PROCESS_EVENTS, SOCKET_EVENTS, type ColumnType } from '../rows.js';

const INT_COLUMNS = new Set(['LocalPort', 'RemotePort', 'ProcessId', 'ParentProcessId', 'Inode', 'LinuxInode', 'LinuxSocketUid']);
const REAL_COLUMNS = new Set(['DurationSeconds', 'BytesSent', 'BytesReceived']);

const sqlType = (t: ColumnType) => (t === 'int' ? 'INTEGER' : 'VARCHAR');
const toLatin1 = (s: string) => encodeBytes(s).toString('latin1');
const fromLatin1 = (s: string) => decodeBytes(Buffer.from(s, 'latin1'));

/** A text cell without its one formula-guard quote (docs/logs.md). */
const unguard = (c: string) => `CASE WHEN starts_with(${ident(c)}, '''') THEN substr(${ident(c)}, 2) ELSE ${ident(c)} END`;

/** ::ffff:a.b.c.d as a.b.c.d (unmapIPv4 in src/util/ip.ts, spelled in SQL). */
const unmapped = (x: string) =>
  `CASE WHEN lower(substr(${x}, 1, 7)) = '::ffff:' AND regexp_full_match(substr(${x}, 8), '[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}') THEN substr(${x}, 8) ELSE ${x} END`;
const ADDRESSES = new Set(['LocalAddress', 'RemoteAddress']);

/**
 * Rows whose time cell is not a real ISO-8601 time stop the load (error()): the file then goes
 * through the importer, which reports each such row by line and skips it, as the stream engine does.
 */
export const BAD_TIME = 'PR_BAD_TIME';
const timeCheck = (col: string) =>
  `(CASE WHEN ${ident(col)} IS NULL OR (regexp_full_match(${ident(col)}, ${sqlString(ISO_TIME_PATTERN)}) AND try_cast(${ident(col)} AS TIMESTAMPTZ) IS NOT NULL) THEN true ELSE error('${BAD_TIME}') END)`;

function csvSource(path: string, columns: string[], gzip: boolean): string {
  const types = columns.map((c) => `${sqlString(c)}: '${INT_COLUMNS.has(c) ? 'INTEGER' : REAL_COLUMNS.has(c) ? 'DOUBLE' : 'VARCHAR'}'`).join(', ');
  return `read_csv(${sqlString(globLiteral(path))}, header = true, auto_detect = false, columns = {${types}}, delim = ',', quote = '"', escape = '"', `
    + `encoding = 'latin-1', compression = '${gzip ? 'gzip' : 'none'}', store_rejects = true)`;
}

/** The INSERT that loads one of our log files into ev or pr. */
export function loadSql(kind: OurKind, path: string, gzip: boolean, header?: string): string {
  const known = kind === 'initial' ? INITIAL_LOG_COLUMNS : kind === 'processes' ? PROCESS_LOG_COLUMNS : CONNECTION_LOG_COLUMNS;
  // A log written before a column was added lacks it: its own header, when every name in it is one
  // of ours (each once); the columns it lacks are null, as the importer (RowConverter) reads them.
  const own = header?.split(',');
  const cols = own && own.every((c) => known.includes(c)) && new Set(own).size === own.length ? own : known;
  return projectSql(kind, csvSource(path, cols, gzip), true, cols);
}

/**
 * The INSERT of ev or pr rows from a source with one of our logs' columns (typed as the CSV reader
 * types them): guarded text cells unguarded, ::ffff: addresses unmapped, only socket or process events.
 */
function projectSql(kind: OurKind, source: string, checkTime: boolean, available: readonly string[]): string {
  const time = kind === 'initial' ? 'ObservedAt' : 'Time';
  const has = new Set(available);
  const text = kind === 'initial' ? INITIAL_TEXT : kind === 'processes' ? PROC_TEXT : CONN_TEXT;
  const cell = (c: string) => (!has.has(c) ? 'NULL' : text.includes(c) ? unguard(c) : ident(c));
  // rows.ts containerOf: the name, else the id.
  const container = kind === 'initial' ? `coalesce(${cell('LinuxContainerName')}, ${cell('LinuxContainerId')})` : `coalesce(${cell('ContainerName')}, ${cell('ContainerId')})`;
  const where = `${checkTime ? `${timeCheck(time)} AND ` : ''}"Event" IN (${(kind === 'processes' ? PROCESS_EVENTS : SOCKET_EVENTS).map(sqlString).join(', ')})`;
  if (kind === 'processes') {
    const sel = PR_COLUMNS.map(([c]) => (c === 'Container' ? container : cell(c)));
    return `INSERT INTO pr SELECT ${sel.join(', ')} FROM ${source} WHERE ${where}`;
  }
  const sel = EV_COLUMNS.map(([c]) => {
    if (kind === 'initial' && c === 'Time') return '"ObservedAt"';
    if (kind === 'initial' && c === 'FirstSeen') return 'NULL';
    if (c === 'Container') return container;
    const v = cell(c);
    return ADDRESSES.has(c) ? unmapped(`(${v})`) : v;
  });
  return `INSERT INTO ev SELECT ${sel.join(', ')} FROM ${source} WHERE ${where}`;
}

/** The two tables every analysis reads. */
export function createTablesSql(): string[] {
  return ([['ev', EV_COLUMNS], ['pr', PR_COLUMNS]] as const).map(([t, cols]) => `CREATE TABLE ${t} (${cols.map(([c, ty]) => `${ident(c)} ${sqlType(ty)}`).join(', ')})`);
}

const HIGH = /[\x80-\xff]/;

/** A value read back from DuckDB (JSON) as the importer would give it: Latin-1 text decoded exactly. */
export function js(v: Value | Value[] | undefined): Value | Value[] {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return HIGH.test(v) ? fromLatin1(v) : v;
  if (Array.isArray(v)) return v.map((x) => js(x) as Value);
  return v;
}

/** Whether a gzip file decompresses to its end (streamed, on the thread pool). */
export async function gzipIntact(file: string): Promise<boolean> {
  try {
    await pipeline(createReadStream(file), createGunzip(), new Writable({ write: (_c, _e, cb) => cb() }));
    return true;
  } catch {
    return false;
  }
}

/** Load one of our CSV logs with DuckDB's reader into ev or pr; null when the file is another format or DuckDB cannot read it. */
export async function loadOurLog(conn: DuckDBConnection, file: string, report: (d: Diagnostic) => void, strict: boolean): Promise<'ev' | 'pr' | null> {
  let first: Buffer;
  try { first = head(file); } catch { return null; }
  if (sniff(file, first) !== 'ours') return null;
  const gzip = isGzip(first);
  let text = first;
  if (gzip) {
    try { text = gunzipSync(first, { finishFlush: 2 }); } catch { return null; }
  }
  const kind = ourKind(text.toString('latin1'));
  if (!kind) return null;
  // DuckDB reads a truncated gzip up to the cut without a word; so the stream is checked alongside
  // the load, and a cut file is left to the importer, which keeps the rows before the cut and says so.
  const intact = gzip ? gzipIntact(file) : Promise.resolve(true);
  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run(loadSql(kind, file, gzip, text.toString('latin1').split(/\r?\n/, 1)[0]));
  } catch {
    await conn.run('ROLLBACK');
    await intact;
    return null;
  }
  if (!(await intact)) {
    await conn.run('ROLLBACK');
    return null;
  }
  await conn.run('COMMIT');
  const rejects = await conn.runAndReadAll('SELECT line, column_name, error_type, error_message FROM reject_errors ORDER BY line LIMIT 101');
  const rows = rejects.getRowObjectsJS();
  for (const r of rows.slice(0, 100)) {
    const msg = `${file}:${r.line}: ${r.column_name ?? "row"}: ${String(r.error_message).split("\n")[0]}`;
    if (strict) throw new Error(msg);
    report({ Level: 'warning', Code: 'PR_IMPORT_BAD_FIELD', Message: msg, Target: file });
  }
  if (rows.length > 100) report({ Level: 'warning', Code: 'PR_IMPORT_BAD_ROW', Message: `${file}: more bad rows than the 100 reported were skipped`, Target: file });
  return kind === 'processes' ? 'pr' : 'ev';
}

/** Port Reporter 1.x logs, and ours that DuckDB cannot read, through the TypeScript importer and the appender. */
export async function loadViaImporter(conn: DuckDBConnection, files: string[], report: (d: Diagnostic) => void, strict: boolean): Promise<ImportSummary> {
  const ev = await conn.createAppender('ev');
  const pr = await conn.createAppender('pr');
  const append = (a: DuckDBAppender, cols: [string, ColumnType][], r: Row) => {
    for (const [c, t] of cols) {
      const v = r[c];
      if (v === null || v === undefined) a.appendNull();
      else if (t === 'int') a.appendInteger(Number(v));
      else a.appendVarchar(toLatin1(String(v)));
    }
    a.endRow();
  };
  const sink = { ev: (r: Row) => append(ev, EV_COLUMNS, r), pr: (r: Row) => append(pr, PR_COLUMNS, r) };
  const summary = await runImport({ paths: files, filter: {}, strict }, (r) => fromImported(r, sink), report);
  ev.closeSync();
  pr.closeSync();
  return summary;
}


/**
 * A compacted log (portreport compact, import/parquet.ts): its rows without a problem, cells typed
 * as the CSV reader types them (empty cells null), then the same projection as the CSV's.
 */
export async function loadParquet(conn: DuckDBConnection, file: string): Promise<void> {
  const header = await parquetHeader(conn, file);
  const kind = ourKind(header.join(','));
  if (!kind) throw new Error(`${file}: not a compacted PortReport log (unknown header)`);
  const typed = header.map((c) => {
    const v = `NULLIF(${ident(c)}, '')`;
    return `${INT_COLUMNS.has(c) ? `TRY_CAST(${v} AS INTEGER)` : REAL_COLUMNS.has(c) ? `TRY_CAST(${v} AS DOUBLE)` : v} AS ${ident(c)}`;
  });
  await conn.run(projectSql(kind, `(SELECT ${typed.join(', ')} FROM read_parquet(${sqlString(globLiteral(file))}) WHERE "BadCode" IS NULL)`, false, header));
}
