/** Bench plumbing: loopback socket holders and timing as ratios against an anchor in the same run. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { closeSync, createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { C, libc } from '../native/linux/libc.js';

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

/** A pipe(2) (not the socket pair Node gives a child's 'pipe' stdio): [read end, write end]. */
export function osPipe(): [number, number] {
  const fds = Buffer.alloc(8);
  if (libc().pipe2(fds, C.O_CLOEXEC) !== 0) throw new Error(`pipe2 failed (errno ${libc().errno()})`);
  return [fds.readInt32LE(0), fds.readInt32LE(4)];
}

/**
 * Wall time of one whole command whose output is read through a pipe(2) by this process, as the
 * module (.NET redirects stdout to a pipe), `jq` or a shell pipeline reads it: every byte is taken
 * off the pipe, nothing is kept. Resolves to [milliseconds, bytes read].
 */
export function timeCommandPipe(cmd: string, args: string[]): Promise<[number, number]> {
  return new Promise((resolve, reject) => {
    const [rfd, wfd] = osPipe();
    const t = process.hrtime.bigint();
    const k = spawn(cmd, args, { stdio: ['ignore', wfd, 'pipe'] });
    closeSync(wfd);
    let bytes = 0;
    let err = '';
    let exit: number | null | undefined;
    let eof = false;
    const done = () => {
      if (exit === undefined || !eof) return;
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (exit !== 0) reject(new Error(`${cmd} ${args.join(' ')} failed (${exit}): ${err}`));
      else resolve([ms, bytes]);
    };
    const out = createReadStream('', { fd: rfd, highWaterMark: 1 << 16 });
    out.on('data', (b) => { bytes += b.length; });
    out.on('end', () => { eof = true; done(); });
    k.stderr!.on('data', (b: Buffer) => { if (err.length < 4096) err += b.toString(); });
    k.on('error', reject);
    k.on('close', (code) => { exit = code; done(); });
  });
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

const CLUSTER = fileURLToPath(new URL('../../scripts/clickhouse-cluster.mjs', import.meta.url));

/** A two-shard ClickHouse cluster on 127.0.0.1 in dir (scripts/clickhouse-cluster.mjs) with PortReport's tables; its credentials in this process's environment. */
export function startBenchCluster(dir: string): { servers: string[]; user: string; password: string } {
  const start = spawnSync(NODE, [CLUSTER, 'start', dir], { encoding: 'utf8' });
  if (start.status !== 0) throw new Error(`the cluster did not start: ${start.stderr}`);
  const c = JSON.parse(start.stdout) as { shards: { http: number }[]; user: string; password: string };
  const servers = c.shards.map((s) => `http://127.0.0.1:${s.http}`);
  process.env.PORTREPORT_CLICKHOUSE_USER = c.user;
  process.env.PORTREPORT_CLICKHOUSE_PASSWORD = c.password;
  timeCommand(NODE, [SIDECAR, 'clickhouse-schema', ...servers.flatMap((s) => ['--server', s])]);
  return { servers, user: c.user, password: c.password };
}

/** Stop the cluster startBenchCluster started in dir (a no-op when none runs). */
export function stopBenchCluster(dir: string): void {
  spawnSync(NODE, [CLUSTER, 'stop', dir]);
}
