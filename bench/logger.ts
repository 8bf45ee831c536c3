/**
 * bench/logger: CPU time of `portreport watch` (1 s polls) per minute, as percent of one core, and
 * its peak resident memory (VmHWM), at 1,000 and 20,000 sockets, beside the anchor: `ss -tanp` run
 * once a second over the same time; then at 20,000 sockets with 2,000 new loopback connections a
 * second (each logged, then closed), with the cost per connection. Each case runs twice: with
 * socket-destroy events alone (--event-source destroy) and with the connect-time eBPF source on
 * (--event-source bpf, root), whose programs' own kernel time (kernel.bpf_stats_enabled) is
 * printed per call: it is spent in the connecting processes, not the logger.
 * Targets: under 1% of a core at 1,000 sockets, under 10% at 20,000; at most 150 MB peak RSS at
 * 20,000 sockets with 2,000 new connections a second.
 * Usage: node dist/bench/logger.js [seconds=20]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
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

/** Peak resident set size of a pid, in MB (VmHWM). */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const CHURN = fileURLToPath(new URL('./churn.js', import.meta.url));

/** A churn process opening `rate` connections a second; resolves once it runs. */
async function startChurn(rate: number, limitMs: number): Promise<{ stop(): Promise<number> }> {
  const k = spawn(NODE, [CHURN, String(rate), String(limitMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: k.stdout! });
  let made = 0;
  const done = new Promise<void>((resolve) => lines.on('line', (l) => { if (l.startsWith('done ')) { made = Number(l.split(' ')[1]); resolve(); } }));
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (l) => { if (l.startsWith('ready')) resolve(); });
    k.once('exit', (c) => reject(new Error(`churn exited with ${c}`)));
  });
  return { async stop() { k.stdin!.end(); await done; return made; } };
}

/** run_cnt and run_time_ns summed over the BPF programs a process holds (fdinfo, with bpf_stats on). */
function programStats(pid: number): { runs: number; ns: number } {
  let runs = 0;
  let ns = 0;
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    let info: string;
    try { info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1'); } catch { continue; }
    if (!info.includes('prog_type:')) continue;
    runs += Number(/run_cnt:\s+(\d+)/.exec(info)?.[1] ?? 0);
    ns += Number(/run_time_ns:\s+(\d+)/.exec(info)?.[1] ?? 0);
  }
  return { runs, ns };
}

async function measure(source: string, sockets: number, rate = 0, quietPct = 0): Promise<number> {
  const procs = sockets >= 10000 ? 2 : 1;
  const kids = await startHolders(procs, Math.ceil(sockets / 2 / procs), (seconds * 3 + 120) * 1000);
  const dir = mkdtempSync(join(tmpdir(), 'portreport-bench-'));
  // Started as the service unit and Start-PortReporter start it (LoggerNodeArguments in PortReport.psm1).
  const w = spawn(NODE, ['--max-semi-space-size=2', '--optimize-for-size', SIDECAR, 'watch', '--log-path', join(dir, 'logs'), '--interval', '1', '--no-hash', '--event-source', source, '--verbose', '--diagnostics', 'json'], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    // Wait for the initial snapshot and the first poll, then 10 s more: V8 is still compiling the
    // poll's code for several seconds (its compiler threads showed in perf), which is start-up, not
    // the steady state a service spends its days in.
    await new Promise<void>((resolve) => createInterface({ input: w.stderr! }).on('line', (l) => { if (l.includes('PR_FLUSHED')) resolve(); }));
    await sleep(10_000);
    const churn = rate ? await startChurn(rate, (seconds + 60) * 1000) : null;
    const p0 = programStats(w.pid!);
    const t0 = Date.now();
    const c0 = cpu(w.pid!);
    await sleep(seconds * 1000);
    const loggerPct = ((cpu(w.pid!) - c0) / ((Date.now() - t0) / 1000)) * 100;
    const rss = peakRssMb(w.pid!);
    const made = churn ? await churn.stop() : 0;
    if (churn) {
      const perConn = ((loggerPct - quietPct) / 100) * ((Date.now() - t0) / 1000) / made * 1e6;
      const p1 = programStats(w.pid!);
      const kernel = p1.runs > p0.runs ? `; eBPF programs ${((p1.ns - p0.ns) / (p1.runs - p0.runs)).toFixed(0)} ns a call, ${p1.runs - p0.runs} calls (in the connecting processes)` : '';
      console.log(`  ${String(sockets).padStart(6)} sockets + ${rate} new connections/s (${made} made): logger ${loggerPct.toFixed(2)}% of a core, ${perConn.toFixed(0)} µs CPU per connection above the quiet figure; peak RSS ${rss.toFixed(0)} MB; target <= 150 MB: ${rss <= 150 ? 'met' : 'NOT met'}${kernel}`);
      return loggerPct;
    }

    const a0 = cpu('self', true);
    const s0 = Date.now();
    for (let i = 0; i < seconds; i++) {
      const t = Date.now();
      spawnSync('ss', ['-tanp'], { stdio: 'ignore' });
      await sleep(Math.max(0, 1000 - (Date.now() - t)));
    }
    const ssPct = ((cpu('self', true) - a0) / ((Date.now() - s0) / 1000)) * 100;
    const target = sockets <= 1000 ? 1 : 10;
    console.log(`  ${String(sockets).padStart(6)} sockets: logger ${loggerPct.toFixed(2)}% of a core (${(loggerPct * 0.6).toFixed(2)} CPU-s/min); ss -tanp each second ${ssPct.toFixed(2)}%; ratio ${(loggerPct / ssPct).toFixed(2)}x; target < ${target}%: ${loggerPct < target ? 'met' : 'NOT met'}; peak RSS ${rss.toFixed(0)} MB`);
    return loggerPct;
  } finally {
    w.kill('SIGTERM');
    await new Promise((r) => w.once('exit', r));
    await stopHolders(kids);
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`bench/logger: portreport watch with 1 s polls, CPU measured over ${seconds} s at steady state`);
const root = process.geteuid?.() === 0;
const STATS = '/proc/sys/kernel/bpf_stats_enabled';
const statsWas = root ? readFileSync(STATS, 'latin1').trim() : '0';
if (root) writeFileSync(STATS, '1');
try {
  for (const source of root ? ['destroy', 'bpf'] : ['destroy']) {
    console.log(source === 'bpf' ? ' with the connect-time eBPF source (--event-source bpf):' : ' with socket-destroy events alone (--event-source destroy):');
    await measure(source, 1000);
    const quiet = await measure(source, 20000);
    await measure(source, 20000, 2000, quiet);
  }
} finally {
  if (root) writeFileSync(STATS, statsWas);
}
