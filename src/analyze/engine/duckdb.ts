/**
 * The DuckDB engine: our CSV logs are read by DuckDB itself (plain or gzip, in parallel) into a
 * temporary on-disk database; Port Reporter 1.x logs and anything DuckDB cannot read go through the
 * TypeScript importer and DuckDB's appender. Text is held as Latin-1 (one character a byte), so
 * any byte sequence groups exactly, and comes back decoded as the importer would decode it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { Diagnostic } from '../../model/diagnostic.js';
import { head, isGzip, runImport, sniff } from '../../import/importer.js';
import { ourKind, type OurKind } from '../../import/ourlogs.js';
import { decodeBytes, encodeBytes } from '../../util/bytes.js';
import { CONN_TEXT, CONNECTION_LOG_COLUMNS, INITIAL_LOG_COLUMNS, PROC_TEXT, PROCESS_LOG_COLUMNS } from '../../watch/logformat.js';
import { CONNECTION_COLUMNS } from '../../output/columns.js';
import { ident, sqlString, type Row, type Value } from '../expr.js';
import type { Aggregation } from '../queries.js';
import { EV_COLUMNS, fromImported, PR_COLUMNS, PROCESS_EVENTS, SOCKET_EVENTS, type ColumnType } from '../rows.js';
import { aggregationSql, jsonChunksSql } from './sql.js';
import { round3, sortRows, sortSet, type Engine, type ResultRow } from './types.js';

const INT_COLUMNS = new Set(['LocalPort', 'RemotePort', 'ProcessId', 'ParentProcessId', 'Inode', 'LinuxInode', 'LinuxSocketUid']);
const REAL_COLUMNS = new Set(['DurationSeconds', 'BytesSent', 'BytesReceived']);
const INITIAL_TEXT = ['Message', ...CONNECTION_COLUMNS.filter((c) => c.text).map((c) => c.name)];

const sqlType = (t: ColumnType) => (t === 'int' ? 'INTEGER' : 'VARCHAR');
const toLatin1 = (s: string) => encodeBytes(s).toString('latin1');
const fromLatin1 = (s: string) => decodeBytes(Buffer.from(s, 'latin1'));

/** A text cell without its one formula-guard quote (docs/logs.md). */
const unguard = (c: string) => `CASE WHEN starts_with(${ident(c)}, '''') THEN substr(${ident(c)}, 2) ELSE ${ident(c)} END`;

function csvSource(path: string, columns: string[], gzip: boolean): string {
  const types = columns.map((c) => `${sqlString(c)}: '${INT_COLUMNS.has(c) ? 'INTEGER' : REAL_COLUMNS.has(c) ? 'DOUBLE' : 'VARCHAR'}'`).join(', ');
  return `read_csv(${sqlString(path)}, header = true, auto_detect = false, columns = {${types}}, delim = ',', quote = '"', escape = '"', `
    + `encoding = 'latin-1', compression = '${gzip ? 'gzip' : 'none'}', store_rejects = true)`;
}

/** The INSERT that loads one of our log files into ev or pr. */
export function loadSql(kind: OurKind, path: string, gzip: boolean): string {
  if (kind === 'processes') {
    const sel = PR_COLUMNS.map(([c]) => (PROC_TEXT.includes(c) ? unguard(c) : ident(c)));
    return `INSERT INTO pr SELECT ${sel.join(', ')} FROM ${csvSource(path, PROCESS_LOG_COLUMNS, gzip)} WHERE "Event" IN (${PROCESS_EVENTS.map(sqlString).join(', ')})`;
  }
  const text = kind === 'initial' ? INITIAL_TEXT : CONN_TEXT;
  const sel = EV_COLUMNS.map(([c]) => {
    if (kind === 'initial' && c === 'Time') return '"ObservedAt"';
    if (kind === 'initial' && c === 'FirstSeen') return 'NULL';
    return text.includes(c) ? unguard(c) : ident(c);
  });
  const cols = kind === 'initial' ? INITIAL_LOG_COLUMNS : CONNECTION_LOG_COLUMNS;
  return `INSERT INTO ev SELECT ${sel.join(', ')} FROM ${csvSource(path, cols, gzip)} WHERE "Event" IN (${SOCKET_EVENTS.map(sqlString).join(', ')})`;
}

/** The two tables every analysis reads. */
export function createTablesSql(): string[] {
  return ([['ev', EV_COLUMNS], ['pr', PR_COLUMNS]] as const).map(([t, cols]) => `CREATE TABLE ${t} (${cols.map(([c, ty]) => `${ident(c)} ${sqlType(ty)}`).join(', ')})`);
}

const HIGH = /[\x80-\xff]/;

function js(v: Value | Value[] | undefined): Value | Value[] {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return HIGH.test(v) ? fromLatin1(v) : v;
  if (Array.isArray(v)) return v.map((x) => js(x) as Value);
  return v;
}

export class DuckDbEngine implements Engine {
  readonly name = 'duckdb' as const;
  private constructor(private dir: string, private db: DuckDBInstance, private conn: DuckDBConnection) {}

  /** A fresh temporary database holding the rows of these files. */
  static async open(files: string[], report: (d: Diagnostic) => void, strict = false): Promise<DuckDbEngine> {
    const dir = mkdtempSync(join(tmpdir(), 'portreport-analyze-'));
    const db = await DuckDBInstance.create(join(dir, 'analyze.duckdb'), { preserve_insertion_order: 'false' });
    const conn = await db.connect();
    const engine = new DuckDbEngine(dir, db, conn);
    try {
      for (const sql of createTablesSql()) await conn.run(sql);
      const viaImporter: string[] = [];
      for (const file of files) {
        if (!(await engine.loadOurs(file, report, strict))) viaImporter.push(file);
      }
      if (viaImporter.length) await engine.loadViaImporter(viaImporter, report, strict);
    } catch (e) {
      await engine.close();
      throw e;
    }
    return engine;
  }

  /** Load one of our CSV logs with DuckDB's reader; false when the file is another format or DuckDB cannot read it. */
  private async loadOurs(file: string, report: (d: Diagnostic) => void, strict: boolean): Promise<boolean> {
    let first: Buffer;
    try { first = head(file); } catch { return false; }
    if (sniff(file, first) !== 'ours') return false;
    const gzip = isGzip(first);
    let text = first;
    if (gzip) {
      try { text = (await import('node:zlib')).gunzipSync(first, { finishFlush: 2 }); } catch { return false; }
    }
    const kind = ourKind(text.toString('latin1'));
    if (!kind) return false;
    try {
      await this.conn.run(loadSql(kind, file, gzip));
    } catch {
      return false; // e.g. a truncated gzip: the importer keeps the rows before the cut and reports the file
    }
    const rejects = await this.conn.runAndReadAll('SELECT line, column_name, error_type, error_message FROM reject_errors ORDER BY line LIMIT 101');
    const rows = rejects.getRowObjectsJS();
    for (const r of rows.slice(0, 100)) {
      const msg = `${file}:${r.line}: ${r.column_name ?? "row"}: ${String(r.error_message).split("\n")[0]}`;
      if (strict) throw new Error(msg);
      report({ Level: 'warning', Code: 'PR_IMPORT_BAD_FIELD', Message: msg, Target: file });
    }
    if (rows.length > 100) report({ Level: 'warning', Code: 'PR_IMPORT_BAD_ROW', Message: `${file}: more bad rows than the 100 reported were skipped`, Target: file });
    return true;
  }

  private async loadViaImporter(files: string[], report: (d: Diagnostic) => void, strict: boolean): Promise<void> {
    const ev = await this.conn.createAppender('ev');
    const pr = await this.conn.createAppender('pr');
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
    await runImport({ paths: files, filter: {}, strict }, (r) => fromImported(r, sink), report);
    ev.closeSync();
    pr.closeSync();
  }

  async run(aggs: Aggregation[]): Promise<Map<string, ResultRow[]>> {
    const out = new Map<string, ResultRow[]>();
    for (const agg of aggs) {
      const reader = await this.conn.runAndReadAll(jsonChunksSql(aggregationSql(agg)));
      const sets = Object.entries(agg.measures).filter(([, m]) => m.k === 'set').map(([n]) => n);
      const rows = (reader.getColumnsJS()[0] ?? []).flatMap((chunk) => JSON.parse(`[${chunk as string}]`) as ResultRow[]);
      const intervals = Object.entries(agg.measures).filter(([, m]) => m.k === 'intervals').map(([n]) => n);
      for (const r of rows) {
        // In place: JSON already gave numbers, nulls and arrays; only Latin-1 text needs decoding.
        for (const k in r) r[k] = js(r[k]);
        for (const s of sets) r[s] = sortSet((r[s] as Value[] | null) ?? []);
        for (const n of intervals) {
          r[`${n}MeanMs`] = round3(r[`${n}MeanMs`] as number | null);
          r[`${n}StdDevMs`] = round3(r[`${n}StdDevMs`] as number | null);
        }
      }
      out.set(agg.name, sortRows(rows, Object.keys(agg.keys)));
    }
    return out;
  }

  async close(): Promise<void> {
    try { this.conn.closeSync(); this.db.closeSync(); } finally { rmSync(this.dir, { recursive: true, force: true }); }
  }
}
