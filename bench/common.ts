/** Bench plumbing: loopback socket holders and timing as ratios against an anchor in the same run. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const NODE = process.execPath;
export const SIDECAR = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const HOLDER = fileURLToPath(new URL('./holder.js', import.meta.url));

/** Start `procs` holder processes with `perProc` connections each; resolves when all are ready. */
export async function startHolders(procs: number, perProc: number, limitMs = 300000): Promise<ChildProcess[]> {
  const kids: ChildProcess[] = [];
  await Promise.all(Array.from({ length: procs }, (_, i) => new Promise<void>((resolve, reject) => {
    const k = spawn(NODE, [HOLDER, String(perProc), String(limitMs), `127.0.1.${i + 1}`], { stdio: ['pipe', 'pipe', 'inherit'] });
    kids.push(k);
    const timer = setTimeout(() => reject(new Error('holder did not get ready in 120 s')), 120000);
    createInterface({ input: k.stdout! }).on('line', (l) => { if (l.startsWith('ready')) { clearTimeout(timer); resolve(); } });
    k.on('exit', (c) => reject(new Error(`holder exited with ${c}`)));
  })));
  return kids;
}

/** Ask holders to close (with RST: no TIME_WAIT left behind) and wait until they have exited. */
export async function stopHolders(kids: ChildProcess[]): Promise<void> {
  await Promise.all(kids.map((k) => new Promise<void>((resolve) => {
    if (k.exitCode !== null) return resolve();
    const t = setTimeout(() => { k.kill('SIGKILL'); resolve(); }, 5000);
    k.once('exit', () => { clearTimeout(t); resolve(); });
    k.stdin?.end();
  })));
}

/** Wall time of one whole command, output to /dev/null. */
export function timeCommand(cmd: string, args: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
