/**
 * bench/snapshot: whole-process time of `portreport snapshot` (with pid attribution) against
 * `ss -tanp` (the anchor) in the same run, with 20,000 established loopback TCP connections held
 * by several processes. Prints medians and the ratio. Target: at most 0.5x of ss -tanp.
 * Usage: node dist/bench/snapshot.js [connections=20000] [processes=4] [rounds=7]
 */
import { median, NODE, SIDECAR, startHolders, stopHolders, timeCommand } from './common.js';

const conns = Number(process.argv[2] ?? 20000);
const procs = Number(process.argv[3] ?? 4);
const rounds = Number(process.argv[4] ?? 7);

const kids = await startHolders(procs, Math.ceil(conns / procs));
try {
  const variants: [string, string, string[]][] = [
    ['ss -tanp (anchor)', 'ss', ['-tanp']],
    ['portreport snapshot --protocol tcp', NODE, [SIDECAR, 'snapshot', '--protocol', 'tcp', '--format', 'ndjson']],
    ['portreport snapshot (tcp+udp)', NODE, [SIDECAR, 'snapshot', '--format', 'ndjson']],
    // Every socket dumped and every fd scanned, but (almost) nothing written: the cost before output.
    ['portreport snapshot, no output (--pid 1)', NODE, [SIDECAR, 'snapshot', '--pid', '1', '--format', 'ndjson']],
    ['node -e 0 (startup floor)', NODE, ['-e', '0']],
  ];
  const times = variants.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) variants.forEach(([, cmd, args], i) => times[i].push(timeCommand(cmd, args)));
  const anchor = median(times[0]);
  console.log(`bench/snapshot: ${conns} loopback connections in ${procs} processes, ${rounds} rounds (medians)`);
  variants.forEach(([name], i) => {
    const m = median(times[i]);
    console.log(`  ${name.padEnd(42)} ${m.toFixed(1).padStart(8)} ms   ${(m / anchor).toFixed(2)}x of ss -tanp`);
  });
  console.log(`  target: portreport snapshot --protocol tcp <= 0.50x of ss -tanp`);
} finally {
  await stopHolders(kids);
}
