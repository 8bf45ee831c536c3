/**
 * Running the Windows sidecar under Wine (scripts/setup-windows.sh installs Wine, the prefix, the
 * Windows node.exe and koffi's Windows binary). node.exe's stdio must be files, not pipes: output
 * goes to temporary files that are read back. Asynchronous, so servers in the test keep answering.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './procs.js';

export const WIN_NODE = process.env.PORTREPORT_WIN_NODE ?? join(ROOT, '.deps/win/node-20.20.2/node.exe');
export const WINEPREFIX = process.env.WINEPREFIX ?? join(ROOT, '.deps/win/prefix');
export const wineReady = () => existsSync(WIN_NODE) && existsSync(join(WINEPREFIX, 'system.reg')) && existsSync(join(ROOT, 'node_modules/@koromix/koffi-win32-x64'));

/** A Linux path as Wine's Z: drive names it. */
export const winPath = (p: string) => `Z:${p.replace(/\//g, '\\')}`;

export interface WineRun { status: number | null; stdout: string; stderr: string }

/** Run node.exe with these arguments under Wine, stdio to files; bounded by `timeoutMs`. */
export function runWindowsNode(args: string[], timeoutMs = 60_000): Promise<WineRun> {
  return runWine([WIN_NODE, ...args], timeoutMs);
}

/** Run a Windows program (sc, a path) under Wine, stdio to files; bounded by `timeoutMs`. */
export function runWine(args: string[], timeoutMs = 60_000): Promise<WineRun> {
  const dir = mkdtempSync(join(tmpdir(), 'portreport-wine-'));
  const out = join(dir, 'out'), err = join(dir, 'err');
  const fds = [openSync(out, 'w'), openSync(err, 'w')];
  return new Promise((resolve) => {
    const child = spawn('wine', args, { stdio: ['ignore', fds[0], fds[1]], env: { ...process.env, WINEPREFIX, WINEDEBUG: '-all' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      for (const fd of fds) closeSync(fd);
      const read = (f: string) => { try { return readFileSync(f, 'utf8'); } catch { return ''; } };
      const r = { status: code, stdout: read(out), stderr: read(err) };
      rmSync(dir, { recursive: true, force: true });
      resolve(r);
    });
  });
}

/** Start node.exe under Wine in the background (stdio to /dev/null); the caller kills it. */
export function startWindowsNode(args: string[]): ChildProcess {
  return spawn('wine', [WIN_NODE, ...args], { stdio: 'ignore', env: { ...process.env, WINEPREFIX, WINEDEBUG: '-all' } });
}

export interface OwnSockets { pid: number; tcp4: number; tcp6: number; udp: number; listen: number }

/**
 * A Windows process with sockets of its own (test/fixtures/windows/sockets.cjs): outgoing TCP over
 * IPv4 and IPv6 to `port`, a UDP bind and a listener; resolves once it has them all, with its pid.
 */
export async function startOwnSockets(port: number, dir: string): Promise<{ child: ChildProcess; own: OwnSockets }> {
  const file = join(dir, `own-${port}.json`);
  const child = startWindowsNode([winPath(join(ROOT, 'test/fixtures/windows/sockets.cjs')), String(port), winPath(file)]);
  const until = Date.now() + 60_000;
  while (!existsSync(file) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  return { child, own: JSON.parse(readFileSync(file, 'utf8')) as OwnSockets };
}
