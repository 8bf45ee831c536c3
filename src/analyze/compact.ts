/**
 * Compaction: closed PortReport logs (the gzipped ones; with `all`, plain ones too) rewritten as
 * Parquet files beside them (their twins: the same name with .parquet), owner-only, holding every
 * row exactly (import/parquet.ts). Analyses read the twin instead of the CSV, many times faster;
 * imports read the CSV while it is there and the twin once it is gone (--delete-source).
 */
import { chmodSync, existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Diagnostic } from '../model/diagnostic.js';
import { ImportError } from '../import/errors.js';
import { expandPaths, head, openOurLog, parquetTwin, streamError } from '../import/importer.js';
import { loadLogRows } from '../import/parquet.js';
import { sqlString } from './expr.js';

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
  return expandPaths(paths.filter((p) => existsSync(p)), report, 'none').filter((f) => OURS.test(basename(f)) && (all || f.endsWith('.gz')));
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
        // Every row, its cells as written, its line and its problem (import/parquet.ts): an import of
        // the twin gives what the CSV gave, so --delete-source loses nothing. A file that is not one
        // of our logs, or a cut gzip, is left as it is.
        let loaded;
        try {
          loaded = await loadLogRows(conn, 'log', openOurLog(file, head(file)), file, opts.strict);
        } catch (e) {
          if (opts.strict && e instanceof ImportError && e.line !== null) throw e;
          const err = streamError(e, file, 'nothing was compacted');
          report({ Level: 'error', Code: 'PR_COMPACT_UNREADABLE', Message: `${file}: not compacted, left as it is: ${err.reason}`, Target: file });
          continue;
        }
        const sourceBytes = statSync(file).size;
        const tmp = join(tmpDir, 'log.parquet');
        await conn.run(`COPY log TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
        chmodSync(tmp, 0o600);
        renameSync(tmp, target);
        if (opts.deleteSource) rmSync(file);
        out.push({ RecordType: 'CompactedLog', Source: file, Parquet: target, Rows: loaded.rows, SourceBytes: sourceBytes,
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
