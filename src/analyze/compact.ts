/**
 * Compaction: closed PortReport logs (the gzipped ones; with `all`, plain ones too) rewritten as
 * Parquet files of normalized ev or pr rows, beside them, owner-only. Analyses read a compacted
 * log instead of its CSV (its twin: the same name with .parquet), many times faster; imports keep
 * reading the CSV, so the source is kept unless asked otherwise.
 */
import { chmodSync, existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Diagnostic } from '../model/diagnostic.js';
import { expandPaths, parquetTwin } from '../import/importer.js';
import { ident, sqlString } from './expr.js';
import { createTablesSql, gzipIntact, loadOurLog, loadViaImporter } from './engine/load.js';

export interface CompactResult {
  RecordType: 'CompactedLog';
  Source: string;
  Parquet: string;
  Rows: number;
  SourceBytes: number;
  ParquetBytes: number;
  SourceDeleted: boolean;
}

export interface CompactOptions { all: boolean; deleteSource: boolean; strict: boolean }

const OURS = /^portreport-(initial|connections|processes)-v1-.*\.csv(\.gz)?$/i;

/** The logs compaction would take, from files and folders. */
export function compactable(paths: string[], all: boolean, report: (d: Diagnostic) => void): string[] {
  for (const p of paths) if (!existsSync(p)) report({ Level: 'error', Code: 'PR_COMPACT_UNREADABLE', Message: `${p}: no such file or folder`, Target: p });
  return expandPaths(paths.filter((p) => existsSync(p)), report).filter((f) => OURS.test(basename(f)) && (all || f.endsWith('.gz')));
}

export async function compactLogs(files: string[], opts: CompactOptions, report: (d: Diagnostic) => void): Promise<CompactResult[]> {
  const out: CompactResult[] = [];
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    for (const file of files) {
      const target = join(dirname(file), parquetTwin(basename(file)));
      // Written in a private directory beside the target, then renamed: never through a symlink.
      const tmpDir = mkdtempSync(join(dirname(file), '.portreport-compact-'));
      try {
        await conn.run('DROP TABLE IF EXISTS ev; DROP TABLE IF EXISTS pr');
        for (const sql of createTablesSql()) await conn.run(sql);
        let table = await loadOurLog(conn, file, report, opts.strict);
        // What DuckDB's reader cannot take (bytes 0x80-0x9F, which its Latin-1 refuses; bad time
        // cells) goes through the importer, as analyses do; a cut or foreign file is left alone.
        const quiet: Diagnostic[] = [];
        if (table === null && (!file.endsWith('.gz') || (await gzipIntact(file)))) {
          const s = await loadViaImporter(conn, [file], (d) => (d.Level === 'error' ? quiet.push(d) : report(d)), opts.strict);
          if (s.failedFiles === 0 && s.files === 1) table = /portreport-processes-/i.test(basename(file)) ? 'pr' : 'ev';
        }
        if (table === null) {
          report({ Level: 'error', Code: 'PR_COMPACT_UNREADABLE', Message: `${file}: not a readable PortReport log (${quiet[0]?.Message ?? 'a truncated gzip?'}); left as it is`, Target: file });
          continue;
        }
        const sourceBytes = statSync(file).size;
        const rows = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${ident(table)}`)).getColumnsJS()[0][0]);
        const tmp = join(tmpDir, 'log.parquet');
        await conn.run(`COPY ${ident(table)} TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
        chmodSync(tmp, 0o600);
        renameSync(tmp, target);
        if (opts.deleteSource) rmSync(file);
        out.push({ RecordType: 'CompactedLog', Source: file, Parquet: target, Rows: rows, SourceBytes: sourceBytes,
          ParquetBytes: statSync(target).size, SourceDeleted: opts.deleteSource });
      } finally {
        rmSync(tmpDir, { recursive: true, force: true });
      }
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return out;
}
