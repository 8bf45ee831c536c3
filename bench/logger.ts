/**
 * bench/logger: CPU time of `portreport watch` (1 s polls) per minute, as percent of one core, at
 * 1,000 and 20,000 sockets, beside the anchor: `ss -tanp` run once a second over the same time.
 * Targets: under 1% of a core at 1,000 sockets, under 10% at 20,000.
 * Usage: node dist/bench/logger.js [seconds=20]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { NODE, SIDECAR, startHolders, stopHolders } from './common.js';

const seconds = Number(process.argv[2] ?? 20);
const TICK = 100; // clock ticks per second on Linux

/** utime+stime (own) or cutime+cstime (reaped children) of a pid, in seconds. */
function cpu(pid: number | 'self', children = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return children ? (Number(f[13]) + Number(f[14])) / TICK : (Number(f[11]) + Number(f[12])) / TICK;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(sockets: number): Promise<void> {
  const procs = sockets >= 10000 ? 2 : 1;
  const kids = await startHolders(procs, Math.ceil(sockets / 2 / procs), (seconds * 3 + 120) * 1000);
  const dir = mkdtempSync(join(tmpdir(), 'portreport-bench-'));
  const w = spawn(NODE, [SIDECAR, 'watch', '--log-path', join(dir, 'logs'), '--interval', '1', '--no-hash', '--verbose', '--diagnostics', 'json'], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    // Wait for the initial snapshot and the first poll, then measure steady state.
    await new Promise<void>((resolve) => createInterface({ input: w.stderr! }).on('line', (l) => { if (l.includes('PR_FLUSHED')) resolve(); }));
    await sleep(1500);
    const t0 = Date.now();
    const c0 = cpu(w.pid!);
    await sleep(seconds * 1000);
    const loggerPct = ((cpu(w.pid!) - c0) / ((Date.now() - t0) / 1000)) * 100;

    const a0 = cpu('self', true);
    const s0 = Date.now();
    for (let i = 0; i < seconds; i++) {
      const t = Date.now();
      spawnSync('ss', ['-tanp'], { stdio: 'ignore' });
      await sleep(Math.max(0, 1000 - (Date.now() - t)));
    }
    const ssPct = ((cpu('self', true) - a0) / ((Date.now() - s0) / 1000)) * 100;
    const target = sockets <= 1000 ? 1 : 10;
    console.log(`  ${String(sockets).padStart(6)} sockets: logger ${loggerPct.toFixed(2)}% of a core (${(loggerPct * 0.6).toFixed(2)} CPU-s/min); ss -tanp each second ${ssPct.toFixed(2)}%; ratio ${(loggerPct / ssPct).toFixed(2)}x; target < ${target}%: ${loggerPct < target ? 'met' : 'NOT met'}`);
  } finally {
    w.kill('SIGTERM');
    await new Promise((r) => w.once('exit', r));
    await stopHolders(kids);
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`bench/logger: portreport watch with 1 s polls, CPU measured over ${seconds} s at steady state`);
await measure(1000);
await measure(20000);
