/**
 * A full disk and a symlinked log path: a clear error, no crash, no write through the link; after
 * space returns the logger resumes in a new file that starts with the error, with no partial row.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogs, startWatch } from '../helpers/watch.js';
import { runSidecar } from '../helpers/procs.js';

const dir = mkdtempSync(join(tmpdir(), 'portreport-full-'));
const mnt = join(dir, 'mnt');
let mounted = false;

beforeAll(() => {
  mkdirSync(mnt);
  mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]).status === 0;
});

afterAll(() => {
  if (mounted) spawnSync('umount', ['-l', mnt]);
  rmSync(dir, { recursive: true, force: true });
});

/** n loopback connections, one after another; returns the server's port and each client's. */
async function connections(n: number): Promise<{ server: number; clients: number[] }> {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  const clients: number[] = [];
  for (let i = 0; i < n; i++) {
    await new Promise<void>((r) => { const c = net.connect(port, '127.0.0.1', () => { clients.push(c.localPort!); c.end(); }); c.on('close', () => r()); });
  }
  await new Promise<void>((r) => server.close(() => r()));
  return { server: port, clients };
}

describe('portreport watch on a full disk', () => {
  it('reports ENOSPC, keeps running, and resumes in a new file that starts with the error', async (ctx) => {
    // Needs root to mount a small tmpfs; CI runs as root, so there it must not be skipped.
    if (!mounted && process.env.CI) throw new Error('cannot mount a tmpfs for the disk-full test');
    if (!mounted) ctx.skip();
    const logs = join(mnt, 'logs');
    const w = startWatch(logs, ['--interval', '0.2', '--no-hash', '--no-gzip']);
    await w.nextFlush();
    // Fill the file system to the last byte.
    const filler = join(mnt, 'filler');
    try { writeFileSync(filler, Buffer.alloc(512 * 1024)); } catch { /* ENOSPC: full, as wanted */ }
    const during = await connections(50);
    for (let i = 0; i < 5; i++) await w.nextFlush();
    const errors = w.diagnostics.filter((d) => d.Code === 'PR_LOG_WRITE' || d.Code === 'PR_LOG_CREATE');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].Message).toMatch(/ENOSPC/);
    expect(w.child.exitCode).toBeNull(); // still running
    rmSync(filler);
    const after = await connections(5);
    await w.nextFlush();
    await w.nextFlush();
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    const files = readLogs(logs, 'connections'); // strict parse: no partial rows anywhere
    expect(files.length).toBeGreaterThanOrEqual(2);
    const resumed = files.find((f) => f.rows[0]?.Event === 'Error');
    expect(resumed, files.map((f) => `${f.file}: ${f.rows[0]?.Event}`).join(', ')).toBeDefined();
    expect(resumed!.rows[0].Message).toMatch(/PR_LOG_WRITE.*ENOSPC|PR_LOG_CREATE.*ENOSPC/);
    // By identity: each of the test's 55 connections has exactly its two ends closed, once each
    // (the client's end and the server's), whatever else the host did meanwhile.
    const closes = files.flatMap((f) => f.rows).filter((r) => r.Event === 'Close' && r.LocalAddress === '127.0.0.1');
    for (const { server, clients } of [during, after]) {
      for (const c of clients) {
        const ends = closes.filter((r) => (r.LocalPort === String(c) && r.RemotePort === String(server)) || (r.LocalPort === String(server) && r.RemotePort === String(c)));
        expect(ends.map((r) => r.LocalPort).sort(), `connection ${c} -> ${server}`).toEqual([String(c), String(server)].sort());
      }
    }
  }, 120_000);
});

describe('portreport watch on a nearly full disk', () => {
  it('keeps earlier initial logs: no header-only file, no retention for it, one error per log', async (ctx) => {
    if (!mounted && process.env.CI) throw new Error('cannot mount a tmpfs for the disk-full test');
    if (!mounted) ctx.skip();
    // A file system of its own, large enough for this host's initial log (every module of every process).
    const mnt2 = join(dir, 'mnt2');
    mkdirSync(mnt2);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mnt2]).status).toBe(0);
    onTestFinished(() => { spawnSync('umount', ['-l', mnt2]); });
    const logs = join(mnt2, 'nearly');
    const args = ['watch', '--log-path', logs, '--duration', '0.5', '--no-hash', '--retain-count', '1', '--diagnostics', 'json'];
    expect(runSidecar(args).status).toBe(0);
    const genuine = readdirSync(logs).filter((f) => f.startsWith('portreport-initial-'));
    expect(genuine.length).toBe(1);
    // Sockets enough that the initial snapshot (with every module of this process) is far above 40 KB.
    const servers = await Promise.all(Array.from({ length: 200 }, () => new Promise<net.Server>((r) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => r(s)); })));
    const filler = join(mnt2, 'filler');
    const free = () => { const st = statfsSync(mnt2); return st.bavail * st.bsize; };
    writeFileSync(filler, Buffer.alloc(Math.max(0, free() - 16 * 1024)));
    try {
      const r = runSidecar(args);
      const diags = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
      const initialErrors = diags.filter((d) => /^PR_LOG_(WRITE|CREATE)$/.test(d.Code) && /initial/.test(d.Message));
      expect(initialErrors.length, JSON.stringify(initialErrors)).toBe(1);
      expect(initialErrors[0].Message).toMatch(/ENOSPC/);
      const after = readdirSync(logs).filter((f) => f.startsWith('portreport-initial-'));
      expect(after).toEqual(genuine); // the earlier initial log survives; nothing header-only is left
    } finally {
      rmSync(filler);
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    }
  }, 60_000);
});

describe('symlinks', () => {
  it('refuses a log path that is a symlink, and writes nothing through it', () => {
    const target = join(dir, 'target');
    mkdirSync(target);
    const link = join(dir, 'link');
    symlinkSync(target, link);
    const r = runSidecar(['watch', '--log-path', link, '--duration', '1', '--diagnostics', 'json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stderr.trim().split('\n').pop()!)).toMatchObject({ Level: 'error', Code: 'PR_LOG_SYMLINK' });
    expect(r.stderr).toContain(link);
    expect(readdirSync(target)).toEqual([]);
  });

  it('never opens a planted symlink as a log file', async () => {
    const { LogDir } = await import('../../src/watch/logdir.js');
    const logs = join(dir, 'plain');
    const d = LogDir.open(logs);
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, join(logs, 'portreport-connections-v1-x.csv'));
    expect(d.create('portreport-connections-v1-x.csv')).toBe(-17); // EEXIST: O_EXCL|O_NOFOLLOW
    expect(d.openRead('portreport-connections-v1-x.csv')).toBe(-40); // ELOOP
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    d.close();
  });
});
