/** Test helpers: real processes with hostile paths and arguments, and the compiled sidecar. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// PORTREPORT_TEST_SIDECAR runs the same tests against another build (the packaged module's bundle).
export const SIDECAR = process.env.PORTREPORT_TEST_SIDECAR ?? join(ROOT, 'dist/src/cli/main.js');
export const FIXTURES = join(ROOT, 'test/fixtures');

/** Run the compiled sidecar; returns stdout as a Buffer (exact bytes), stderr text and status. */
export function runSidecar(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [SIDECAR, ...args], { env, maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

export function ndjson<T = Record<string, unknown>>(buf: Buffer): T[] {
  return buf.toString('utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as T);
}

export interface Spawned {
  child: ChildProcess;
  pid: number;
  port: number;
  stop(): void;
}

/**
 * Start test/fixtures/listener.cjs under `exePath` (raw bytes allowed) with raw-byte arguments,
 * through execve, so path and command line are exactly these bytes. Resolves with pid and port.
 */
export async function spawnHostileListener(exePath: Buffer, extraArgs: Buffer[]): Promise<Spawned> {
  const hex = (b: Buffer) => b.toString('hex');
  const child = spawn(process.execPath, [join(FIXTURES, 'hostile-exec.cjs'), hex(exePath),
    hex(Buffer.from(join(FIXTURES, 'listener.cjs'))), ...extraArgs.map(hex)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('listener did not start in 20 s')), 20000);
    createInterface({ input: child.stdout! }).once('line', (l) => { clearTimeout(t); resolve(l); });
    child.once('exit', (c) => reject(new Error(`listener exited with ${c}`)));
  });
  const [pid, port] = line.split(' ').map(Number);
  return { child, pid, port, stop: () => { child.stdin?.end(); child.kill(); } };
}

/** A directory whose name is raw bytes, holding a hard link (or copy) of node named with raw bytes. */
export function hostileNodeCopy(dirName: Buffer, fileName: Buffer): { path: Buffer; cleanup(): void } {
  const base = mkdtempSync(join(tmpdir(), 'portreport-'));
  const dir = Buffer.concat([Buffer.from(base + '/'), dirName]);
  mkdirSync(dir);
  const path = Buffer.concat([dir, Buffer.from('/'), fileName]);
  try { linkSync(process.execPath, path); } catch { copyFileSync(process.execPath, path); }
  return { path, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}
