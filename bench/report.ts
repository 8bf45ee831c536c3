/**
 * bench/report: the time to make the HTML report (`portreport report --html`, whole process,
 * DuckDB engine) of the bench/analyze log (default 10 million rows) beside the anchor measured in
 * the same run: the same summary without HTML (`portreport summary`, every report, output read
 * through a pipe), as a ratio; and the report's size. Target: at most 1.2x.
 *   node dist/bench/report.js [ROWS=10000000] [ROUNDS=2]
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './analyzelogs.js';
import { median, NODE, SIDECAR, timeCommand, timeCommandPipe } from './common.js';

const rows = Number(process.argv[2] ?? 10_000_000);
const rounds = Number(process.argv[3] ?? 2);

async function main(): Promise<void> {
  // The same log as bench/analyze (its folder is reused when that bench made it).
  const dir = join(tmpdir(), `portreport-bench-analyze-${rows}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const big = [join(dir, 'portreport-connections-v1-big.csv'), join(dir, 'portreport-processes-v1-big.csv')];
  if (!existsSync(join(dir, 'done'))) {
    generate(dir, 'big', rows, 42);
    mkdirSync(join(dir, 'learn'), { recursive: true });
    generate(join(dir, 'learn'), 'learn', Math.min(rows, 200_000), 7);
    writeFileSync(join(dir, 'done'), '');
  }
  const out = join(dir, 'report.html');
  const summary: number[] = [];
  const report: number[] = [];
  for (let r = 0; r < rounds; r++) {
    summary.push((await timeCommandPipe(NODE, [SIDECAR, 'summary', ...big, '--engine', 'duckdb', '--format', 'ndjson']))[0]);
    report.push(timeCommand(NODE, [SIDECAR, 'report', ...big, '--engine', 'duckdb', '--html', out, '--force']));
  }
  const a = median(summary);
  const b = median(report);
  console.log(`bench/report: ${rows} rows, ${rounds} rounds (medians)`);
  console.log(`  portreport summary (every report, through a pipe; anchor)   ${(a / 1000).toFixed(2)} s   1.00x`);
  console.log(`  portreport report --html                                    ${(b / 1000).toFixed(2)} s   ${(b / a).toFixed(2)}x of the summary; target <= 1.20x`);
  console.log(`  the report: ${(statSync(out).size / 1024).toFixed(0)} KB (${out})`);
  if (b / a > 1.2) console.log('  where the time goes: the report also runs the detections (their pairs and beacon queries) and the beacon timelines\' query, which the summary does not');
}

main().catch((e) => { console.error(e); process.exit(1); });
