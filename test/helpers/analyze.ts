/** Run an analysis of log files with both engines; they must agree exactly. */
import { expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { analyze, openEngine } from '../../src/analyze/run.js';
import { DEFAULT_DETECT, detect, RULES, type DetectOptions, type Finding } from '../../src/analyze/rules.js';
import { buildSummary, REPORTS, type SummaryRecord } from '../../src/analyze/summary.js';
import type { Results } from '../../src/analyze/results.js';

export async function resultsOf(paths: string[], engine: 'stream' | 'duckdb', range: [number | null, number | null] = [null, null], diags: Diagnostic[] = []): Promise<Results> {
  const e = await openEngine({ paths, live: false, ndjson: null, strict: false }, engine, (d) => diags.push(d));
  try { return await analyze(e, range[0], range[1]); } finally { await e.close(); }
}

export const detectOpts = (o: Partial<DetectOptions> = {}): DetectOptions => ({ rules: [...RULES], watch: [], baseline: null, ...DEFAULT_DETECT, ...o });

/** Findings and summaries from both engines, checked equal; returns the streaming engine's. */
export async function both(paths: string[], o: Partial<DetectOptions> = {}, range: [number | null, number | null] = [null, null]):
Promise<{ findings: Finding[]; summary: SummaryRecord[]; results: Results }> {
  const s = await resultsOf(paths, 'stream', range);
  const d = await resultsOf(paths, 'duckdb', range);
  expect(Object.fromEntries(d)).toEqual(Object.fromEntries(s));
  const findings = detect(s, detectOpts(o));
  expect(detect(d, detectOpts(o))).toEqual(findings);
  const summary = buildSummary(s, REPORTS);
  expect(buildSummary(d, REPORTS)).toEqual(summary);
  return { findings, summary, results: s };
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'portreport-analyze-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const rulesOf = (fs: Finding[]) => [...new Set(fs.map((f) => f.Rule))].sort();
