/**
 * bench/fleet: bench/analyze run against the cluster as well. The same rows (default 10 million)
 * spread over 10 hosts (bench/analyzelogs.ts, one log a host) are shipped to a two-shard
 * ClickHouse cluster on 127.0.0.1 (the shipping timed once, as a figure), then, whole processes,
 * output read through a pipe: `portreport summary` and the baseline comparison
 * (`detect --rules baseline`) over the 10 folders with the embedded DuckDB engine (the anchor)
 * beside the same two commands with --clickhouse, as ratios. The outputs must be equal.
 *   node dist/bench/fleet.js [ROWS=10000000] [ROUNDS=2]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './analyzelogs.js';
import { median, NODE, SIDECAR, startBenchCluster, stopBenchCluster, timeCommand, timeCommandPipe } from './common.js';

const rows = Number(process.argv[2] ?? 10_000_000);
const rounds = Number(process.argv[3] ?? 2);
const HOSTS = 10;

function output(args: string[]): string {
  const r = spawnSync(NODE, [SIDECAR, ...args], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`portreport ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.toString('utf8');
}

async function main(): Promise<void> {
  const dir = join(tmpdir(), `portreport-bench-fleet-${rows}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const folders = Array.from({ length: HOSTS }, (_, i) => join(dir, `host${i + 1}`));
  if (!existsSync(join(dir, 'done'))) {
    for (const [i, f] of folders.entries()) { mkdirSync(f, { recursive: true, mode: 0o700 }); generate(f, 'big', Math.floor(rows / HOSTS), 42 + i, `fleet${String(i + 1).padStart(2, '0')}`); }
    writeFileSync(join(dir, 'done'), '');
  }
  const learn = join(dir, 'learn');
  if (!existsSync(learn)) { mkdirSync(learn, { mode: 0o700 }); generate(learn, 'learn', Math.min(rows / HOSTS, 200_000), 7, 'fleet01'); }
  const cluster = join(dir, 'cluster');
  rmSync(cluster, { recursive: true, force: true });
  try {
    const c = startBenchCluster(cluster);
    const servers = c.servers;
    let shipMs = 0;
    for (const [i, f] of folders.entries()) {
      rmSync(join(f, 'portreport-ship-state.json'), { force: true });
      shipMs += timeCommand(NODE, [SIDECAR, 'ship', f, '--server', servers[i % 2], '--host', `fleet${String(i + 1).padStart(2, '0')}`]);
    }
    const baseline = join(dir, 'baseline.json');
    timeCommand(NODE, [SIDECAR, 'baseline', learn, '--out', baseline, '--force', '--format', 'ndjson']);
    const variants: [string, string[]][] = [
      ['summary, DuckDB engine (anchor)', ['summary', ...folders, '--engine', 'duckdb', '--format', 'ndjson']],
      ['summary --clickhouse', ['summary', '--clickhouse', servers[0], '--format', 'ndjson']],
      ['baseline comparison, DuckDB engine (anchor)', ['detect', ...folders, '--rules', 'baseline', '--baseline', baseline, '--engine', 'duckdb', '--format', 'ndjson']],
      ['baseline comparison --clickhouse', ['detect', '--clickhouse', servers[0], '--rules', 'baseline', '--baseline', baseline, '--format', 'ndjson']],
    ];
    // Both engines must answer the same.
    for (const k of [0, 2]) {
      if (output(variants[k][1]) !== output(variants[k + 1][1])) throw new Error(`${variants[k + 1][0]} disagrees with ${variants[k][0]}`);
    }
    const times = variants.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) for (const [i, [, args]] of variants.entries()) times[i].push((await timeCommandPipe(NODE, [SIDECAR, ...args]))[0]);
    console.log(`bench/fleet: ${rows} rows over ${HOSTS} hosts, two shards on 127.0.0.1, ${rounds} rounds (medians), output through a pipe; outputs equal`);
    console.log(`  shipping the ${HOSTS} hosts' logs (once): ${(shipMs / 1000).toFixed(1)} s, ${(rows / (shipMs / 1000) / 1e6).toFixed(2)} M rows/s`);
    for (let k = 0; k < variants.length; k += 2) {
      const a = median(times[k]);
      const b = median(times[k + 1]);
      console.log(`  ${variants[k][0].padEnd(46)} ${(a / 1000).toFixed(2).padStart(7)} s   1.00x`);
      console.log(`  ${variants[k + 1][0].padEnd(46)} ${(b / 1000).toFixed(2).padStart(7)} s   ${(b / a).toFixed(2)}x of the DuckDB engine`);
    }
  } finally {
    stopBenchCluster(cluster);
    rmSync(cluster, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
