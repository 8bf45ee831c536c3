/**
 * Running an analysis: pick the input (log files, a live snapshot, or records as NDJSON), pick the
 * engine (DuckDB for large log sets, streaming otherwise), then the two query phases.
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ConnectionRecord } from '../model/record.js';
import type { ImportedRecord } from '../import/records.js';
import { expandPaths, runImport } from '../import/importer.js';
import type { Row } from './expr.js';
import { StreamEngine, type RowSource } from './engine/stream.js';
import type { Engine } from './engine/types.js';
import { analysisQueries, inRange, LISTENERS, listenerKey } from './queries.js';
import { fromImported, fromSnapshot } from './rows.js';
import type { Results } from './results.js';

export type EngineChoice = 'auto' | 'stream' | 'duckdb';

export interface AnalyzeInput {
  paths: string[];
  /** Take a live snapshot (with modules; hashes when asked). */
  live: boolean;
  liveHashes?: boolean;
  /** Records as NDJSON (snapshot or import output, or objects from PowerShell): a file or '-' for stdin. */
  ndjson: string | null;
  strict: boolean;
  /** The fleet's tables on ClickHouse instead of files (docs/fleet.md): the server and the hosts to take (wildcards; none: all). */
  clickhouse?: { ch: import('../fleet/clickhouse/client.js').ClickHouse; hosts: string[] } | null;
}

/** Inputs of at least this size go to DuckDB under --engine auto (PORTREPORT_DUCKDB_MIN_BYTES). */
export const DUCKDB_MIN_BYTES = 64 * 1024 * 1024;

const NUMBER_FIELDS = new Set(['LocalPort', 'RemotePort', 'ProcessId', 'ParentProcessId', 'DurationSeconds', 'BytesSent', 'BytesReceived', 'LogLine', 'Count']);
/** Platform extensions and exactness side-tables: objects by contract. */
const OBJECT_FIELDS = new Set(['Linux', 'Windows', 'Utf16']);

/** The first field of a record whose value has the wrong type for the contract, or null. */
export function recordProblem(o: Record<string, unknown>): string | null {
  for (const [k, v] of Object.entries(o)) {
    if (v === null || OBJECT_FIELDS.has(k)) continue;
    if (NUMBER_FIELDS.has(k)) { if (typeof v !== 'number' || !Number.isFinite(v)) return `field ${k}: not a number`; continue; }
    if (k === 'IsService') { if (typeof v !== 'boolean') return 'field IsService: not true or false'; continue; }
    if (k === 'Modules') { if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return 'field Modules: not a list of paths'; continue; }
    if (typeof v !== 'string') return `field ${k}: not text`;
  }
  return null;
}

async function readNdjson(path: string, report: (d: Diagnostic) => void): Promise<{ ev: Row[]; pr: Row[] }> {
  const ev: Row[] = [];
  const pr: Row[] = [];
  const input: Readable = path === '-' ? process.stdin : createReadStream(path);
  const snap: ConnectionRecord[] = [];
  let n = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    n++;
    if (line.trim() === '') continue;
    let o: Record<string, unknown>;
    try { o = JSON.parse(line) as Record<string, unknown>; } catch (e) {
      report({ Level: 'warning', Code: 'PR_INPUT_BAD_JSON', Message: `${path}:${n}: not a JSON record (${(e as Error).message}); skipped`, Target: path });
      continue;
    }
    const problem = typeof o === 'object' && o !== null && !Array.isArray(o) ? recordProblem(o) : 'not a JSON object';
    if (problem) {
      report({ Level: 'warning', Code: 'PR_INPUT_BAD_RECORD', Message: `${path}:${n}: ${problem}; skipped`, Target: path });
      continue;
    }
    if (o.RecordType === 'LogRecord' || o.RecordType === 'ProcessRecord') fromImported(o as unknown as ImportedRecord, { ev: (r) => ev.push(r), pr: (r) => pr.push(r) });
    else if ('ObservedAt' in o && 'LocalPort' in o) snap.push(o as unknown as ConnectionRecord);
    else report({ Level: 'warning', Code: 'PR_INPUT_BAD_RECORD', Message: `${path}:${n}: field RecordType: not a connection, log or process record; skipped`, Target: path });
  }
  fromSnapshot(snap, { ev: (r) => ev.push(r), pr: (r) => pr.push(r) });
  return { ev, pr };
}

function arraySource(rows: { ev: Row[]; pr: Row[] }): RowSource {
  return async (sink) => { for (const r of rows.ev) sink.ev(r); for (const r of rows.pr) sink.pr(r); };
}

export async function openEngine(input: AnalyzeInput, choice: EngineChoice, report: (d: Diagnostic) => void): Promise<Engine> {
  if (input.clickhouse) {
    if (input.paths.length || input.live || input.ndjson !== null) throw Object.assign(new Error('--clickhouse analyses the fleet\'s tables: give no log files, --live or --input with it'), { code: 'PR_USAGE' });
    const { ClickHouseEngine } = await import('./engine/clickhouse.js');
    return new ClickHouseEngine(input.clickhouse.ch, { hosts: input.clickhouse.hosts }, report);
  }
  if (input.live || input.ndjson !== null) {
    if (choice === 'duckdb') throw Object.assign(new Error('the DuckDB engine reads log files; live snapshots and NDJSON records use the streaming engine'), { code: 'PR_USAGE' });
    const rows = { ev: [] as Row[], pr: [] as Row[] };
    if (input.ndjson !== null) {
      const r = await readNdjson(input.ndjson, report);
      rows.ev.push(...r.ev);
      rows.pr.push(...r.pr);
    }
    if (input.live) {
      const { loadCollector } = await import('../collect/index.js');
      const snap = await (await loadCollector())({ filter: {}, includeModules: true, includeHash: input.liveHashes ?? false, source: 'auto' });
      for (const d of snap.diagnostics) report(d);
      fromSnapshot(snap.records, { ev: (r) => rows.ev.push(r), pr: (r) => rows.pr.push(r) });
    }
    return new StreamEngine(arraySource(rows));
  }
  const files = expandPaths(input.paths, report, 'prefer');
  const bytes = files.reduce((n, f) => { try { return n + statSync(f).size; } catch { return n; } }, 0);
  const min = Number(process.env.PORTREPORT_DUCKDB_MIN_BYTES ?? DUCKDB_MIN_BYTES);
  const parquet = files.some((f) => f.endsWith('.parquet'));
  if (parquet && choice === 'stream') throw Object.assign(new Error('compacted (Parquet) logs need the DuckDB engine: use --engine auto or duckdb'), { code: 'PR_USAGE' });
  if (choice === 'duckdb' || (choice === 'auto' && (bytes >= min || parquet))) {
    const { DuckDbEngine } = await import('./engine/duckdb.js');
    return DuckDbEngine.open(files, report, input.strict);
  }
  // Streaming: each pass re-reads the files; only the first pass reports their problems.
  let pass = 0;
  return new StreamEngine(async (sink) => {
    const quiet = pass++ > 0;
    await runImport({ paths: files, filter: {}, strict: input.strict }, (r) => fromImported(r, sink), (d) => { if (!quiet || d.Level === 'progress') report(d); });
  });
}

/**
 * Phase 1 finds the listeners (which tell inbound from outbound); phase 2 runs the other queries:
 * every one, or only those named (a summary of one report computes that report's).
 */
export async function analyze(engine: Engine, after: number | null, before: number | null, only?: readonly string[]): Promise<Results> {
  const phase1 = await engine.run(inRange([LISTENERS], after, before));
  const listeners = (phase1.get('listeners') ?? []).map(listenerKey);
  const queries = analysisQueries(listeners).filter((q) => !only || only.includes(q.name));
  const res = await engine.run(inRange(queries, after, before));
  res.set('listeners', phase1.get('listeners') ?? []);
  return res;
}
