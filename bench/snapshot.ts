/**
 * bench/snapshot: whole-process time of `portreport snapshot` (with pid attribution) against
 * `ss -tanp` (the anchor) in the same run, with 20,000 established loopback TCP connections held
 * by several processes. Each command's output is read through a pipe(2) by this process (the path
 * users take: the module, `jq`, scripts); the /dev/null figure is printed beside it. `--format packed`
 * is what Get-PortReport reads (contract 2); bench/objects times the objects in a warm pwsh.
 * Prints medians and ratios. Target: snapshot through a pipe at most 0.5x of ss -tanp read the same way.
 * Usage: node dist/bench/snapshot.js [connections=20000] [processes=4] [rounds=7]
 */
import { median, NODE, SIDECAR, startHolders, stopHolders, timeCommand, timeCommandPipe } from './common.js';

const conns = Number(process.argv[2] ?? 20000);
const procs = Number(process.argv[3] ?? 4);
const rounds = Number(process.argv[4] ?? 7);

const kids = await startHolders(procs, Math.ceil(conns / procs));
try {
  const variants: [string, string, string[]][] = [
    ['ss -tanp (anchor)', 'ss', ['-tanp']],
    ['portreport snapshot --protocol tcp', NODE, [SIDECAR, 'snapshot', '--protocol', 'tcp', '--format', 'ndjson']],
    ['portreport snapshot (tcp+udp)', NODE, [SIDECAR, 'snapshot', '--format', 'ndjson']],
    ['portreport snapshot --format packed', NODE, [SIDECAR, 'snapshot', '--protocol', 'tcp', '--format', 'packed']],
    ['portreport snapshot --format csv', NODE, [SIDECAR, 'snapshot', '--protocol', 'tcp', '--format', 'csv']],
    // Every socket dumped and every fd scanned, but (almost) nothing written: the cost before output.
    ['portreport snapshot, no output (--pid 1)', NODE, [SIDECAR, 'snapshot', '--pid', '1', '--format', 'ndjson']],
    ['node -e 0 (startup floor)', NODE, ['-e', '0']],
  ];
  const pipe = variants.map(() => [] as number[]);
  const devnull = variants.map(() => [] as number[]);
  const bytes = variants.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    for (const [i, [, cmd, args]] of variants.entries()) {
      const [ms, b] = await timeCommandPipe(cmd, args);
      pipe[i].push(ms);
      bytes[i] = b;
      devnull[i].push(timeCommand(cmd, args));
    }
  }
  const anchorPipe = median(pipe[0]);
  const anchorNull = median(devnull[0]);
  console.log(`bench/snapshot: ${conns} loopback connections in ${procs} processes, ${rounds} rounds (medians)`);
  console.log(`  ${''.padEnd(42)} ${'pipe'.padStart(9)} ${'ratio'.padStart(6)}   ${'/dev/null'.padStart(9)} ${'ratio'.padStart(6)}   output`);
  variants.forEach(([name], i) => {
    const p = median(pipe[i]);
    const n = median(devnull[i]);
    console.log(`  ${name.padEnd(42)} ${p.toFixed(1).padStart(7)}ms ${(p / anchorPipe).toFixed(2).padStart(5)}x   ${n.toFixed(1).padStart(7)}ms ${(n / anchorNull).toFixed(2).padStart(5)}x   ${(bytes[i] / 1e6).toFixed(1)} MB`);
  });
  console.log(`  target: portreport snapshot --protocol tcp through a pipe <= 0.50x of ss -tanp through a pipe`);
} finally {
  await stopHolders(kids);
}
