/**
 * bench/namespaces: a snapshot of every network namespace. 20,000 established loopback
 * connections spread over 10 namespaces (made with `unshare --net`, loopback only), held by one
 * process in each. `portreport snapshot` (read through a pipe, as the module reads it) against the
 * anchor: `ss -tanp` run once in each namespace with `nsenter` (the only way ss sees them), read
 * the same way, one after another. Prints medians and the ratio.
 * Usage: node dist/bench/namespaces.js [connections=20000] [namespaces=10] [rounds=5]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { median, NODE, SIDECAR, timeCommandPipe } from './common.js';

const conns = Number(process.argv[2] ?? 20000);
const spaces = Number(process.argv[3] ?? 10);
const rounds = Number(process.argv[4] ?? 5);
const HOLDER = fileURLToPath(new URL('./holder.js', import.meta.url));

const kids: ChildProcess[] = [];
const pids: number[] = [];
try {
  await Promise.all(Array.from({ length: spaces }, () => new Promise<void>((resolve, reject) => {
    const k = spawn('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', NODE, HOLDER, String(Math.ceil(conns / spaces)), '600000', '127.0.0.1'],
      { stdio: ['pipe', 'pipe', 'inherit'] });
    kids.push(k);
    const timer = setTimeout(() => reject(new Error('a namespace holder did not get ready in 120 s')), 120000);
    createInterface({ input: k.stdout! }).on('line', (l) => { if (l.startsWith('ready')) { clearTimeout(timer); pids.push(Number(l.split(' ')[1])); resolve(); } });
    k.on('exit', (c) => reject(new Error(`namespace holder exited with ${c}`)));
  })));
  const ssEach = async (): Promise<[number, number]> => {
    let ms = 0;
    let bytes = 0;
    for (const [cmd, args] of [['ss', ['-tanp']], ...pids.map((p) => ['nsenter', [`--net=/proc/${p}/ns/net`, 'ss', '-tanp']])] as [string, string[]][]) {
      const [t, b] = await timeCommandPipe(cmd, args);
      ms += t;
      bytes += b;
    }
    return [ms, bytes];
  };
  const variants: [string, () => Promise<[number, number]>][] = [
    [`ss -tanp in each of ${spaces + 1} namespaces (anchor)`, ssEach],
    ['portreport snapshot --protocol tcp --format packed', () => timeCommandPipe(NODE, [SIDECAR, 'snapshot', '--protocol', 'tcp', '--format', 'packed'])],
    ['portreport snapshot --protocol tcp (ndjson)', () => timeCommandPipe(NODE, [SIDECAR, 'snapshot', '--protocol', 'tcp', '--format', 'ndjson'])],
  ];
  const times = variants.map(() => [] as number[]);
  const bytes = variants.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    for (const [i, [, run]] of variants.entries()) {
      const [ms, b] = await run();
      times[i].push(ms);
      bytes[i] = b;
    }
  }
  const anchor = median(times[0]);
  console.log(`bench/namespaces: ${conns} loopback connections over ${spaces} network namespaces, ${rounds} rounds (medians, output read through a pipe)`);
  variants.forEach(([name], i) => {
    const m = median(times[i]);
    console.log(`  ${name.padEnd(52)} ${m.toFixed(0).padStart(6)} ms   ${(m / anchor).toFixed(2)}x   ${(bytes[i] / 1e6).toFixed(1)} MB`);
  });
} finally {
  for (const k of kids) k.stdin?.end();
  await Promise.all(kids.map((k) => new Promise((r) => (k.exitCode !== null ? r(null) : k.once('exit', r)))));
}
