/** Test helpers for the logger: run `portreport watch`, read its logs back exactly. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse/sync';
import { decodeBytes } from '../../src/util/bytes.js';
import { unguardFormula } from '../../src/util/display.js';
import { SIDECAR } from './procs.js';

export interface Watcher {
  child: ChildProcess;
  /** stderr lines so far (JSON diagnostics). */
  diagnostics: Record<string, string>[];
  /** Resolves at the next PR_FLUSHED after the call. */
  nextFlush(): Promise<Record<string, number>>;
  exited: Promise<number | null>;
}

export function startWatch(logPath: string, extra: string[] = []): Watcher {
  const child = spawn(process.execPath, [SIDECAR, 'watch', '--log-path', logPath, '--verbose', '--diagnostics', 'json', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  const diagnostics: Record<string, string>[] = [];
  const waiters: ((c: Record<string, number>) => void)[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => {
    let d: Record<string, string>;
    try { d = JSON.parse(l); } catch { d = { Level: 'text', Message: l }; }
    diagnostics.push(d);
    if (d.Code === 'PR_FLUSHED') {
      const counts = Object.fromEntries(d.Message.split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
      for (const w of waiters.splice(0)) w(counts);
    }
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child, diagnostics, exited,
    nextFlush: () => new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no flush in 30 s; stderr: ${JSON.stringify(diagnostics.slice(-5))}`)), 30000);
      waiters.push((c) => { clearTimeout(t); resolve(c); });
    }),
  };
}

/** Rows of every log file of a kind (gzip or plain; not `.partial` files still being written), decoded exactly, in file order. */
export function readLogs(dir: string, kind: string): { file: string; rows: Record<string, string>[] }[] {
  return readdirSync(dir).filter((f) => f.startsWith(`portreport-${kind}-v1-`) && !f.endsWith('.partial')).sort().map((file) => {
    let bytes = readFileSync(`${dir}/${file}`);
    if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
    const [header, ...data] = (parse(bytes, { encoding: null, relax_column_count: false }) as Buffer[][]).map((r) => r.map(decodeBytes));
    return { file, rows: data.map((r) => Object.fromEntries(header.map((h, i) => [h, unguardFormula(r[i])]))) };
  });
}
