/**
 * The DuckDB engine: the inputs loaded (load.ts) into a temporary on-disk database, then every
 * aggregation as SQL, its rows read back as JSON text and decoded as the importer would decode them.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Diagnostic } from '../../model/diagnostic.js';
import { Progress } from '../../util/progress.js';
import type { Value } from '../expr.js';
import type { Aggregation } from '../queries.js';
import { createTablesSql, js, loadOurLog, loadParquet, loadViaImporter } from './load.js';
import { aggregationSql, jsonChunksSql } from './sql.js';
import { round3, sortRows, sortSet, type Engine, type ResultRow } from './types.js';

export class DuckDbEngine implements Engine {
  readonly name = 'duckdb' as const;
  private readonly progress: Progress;
  private constructor(private dir: string, private db: DuckDBInstance, private conn: DuckDBConnection, report: (d: Diagnostic) => void) {
    this.progress = new Progress(report, 'Analysing logs');
  }

  /** A fresh temporary database holding the rows of these files. */
  static async open(files: string[], report: (d: Diagnostic) => void, strict = false): Promise<DuckDbEngine> {
    const dir = mkdtempSync(join(tmpdir(), 'portreport-analyze-'));
    const db = await DuckDBInstance.create(join(dir, 'analyze.duckdb'), { preserve_insertion_order: 'false' });
    const conn = await db.connect();
    const engine = new DuckDbEngine(dir, db, conn, report);
    try {
      for (const sql of createTablesSql()) await conn.run(sql);
      const viaImporter: string[] = [];
      const sizes = files.map((f) => { try { return statSync(f).size; } catch { return 0; } });
      const total = sizes.reduce((a, b) => a + b, 0);
      let done = 0;
      for (const [i, file] of files.entries()) {
        engine.progress.update(done, total, `loading ${file} (${i + 1} of ${files.length} files)`, true);
        if (file.endsWith('.parquet')) await loadParquet(conn, file);
        else if (!(await loadOurLog(conn, file, report, strict))) viaImporter.push(file);
        done += sizes[i];
      }
      if (viaImporter.length) await loadViaImporter(conn, viaImporter, report, strict);
    } catch (e) {
      await engine.close();
      throw e;
    }
    return engine;
  }

  async run(aggs: Aggregation[]): Promise<Map<string, ResultRow[]>> {
    const out = new Map<string, ResultRow[]>();
    for (const [i, agg] of aggs.entries()) {
      this.progress.update(i, aggs.length, `query ${agg.name} (${i + 1} of ${aggs.length})`, true);
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
