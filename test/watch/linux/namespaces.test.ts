/**
 * The logger in other network namespaces: two namespaces made with `unshare --net` (loopback
 * only), each with a listener on the same port and a connected pair, found at start and logged
 * with their namespace; then 20 connections inside each, every one living under 20 ms, are logged
 * as closed in their own namespace with the process that made them (connect-time source) and the
 * two namespaces' equal ports kept apart. A namespace whose processes end is let go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { readLogs, startWatch } from '../../helpers/watch.js';
import { FIXTURES } from '../../helpers/procs.js';

const canUnshare = process.platform === 'linux' && process.getuid?.() === 0
  && spawnSync('unshare', ['--net', '--', 'true']).status === 0 && spawnSync('ip', ['-V']).status === 0;
const PORT = 20000 + ((process.pid + 7) % 20000);
const dir = mkdtempSync(join(tmpdir(), 'portreport-nslog-'));

describe.runIf(canUnshare)('portreport watch: other network namespaces', () => {
  const kids: { child: ChildProcess; lines: Interface; pid: number; clientPort: number; ns: string }[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const child = spawn('unshare', ['--net', '--', 'sh', '-c', `ip link set lo up && exec "$0" "$1" "$2"`, process.execPath, join(FIXTURES, 'netns-pair.cjs'), String(PORT)],
        { stdio: ['pipe', 'pipe', 'inherit'] });
      const lines = createInterface({ input: child.stdout! });
      const line = await new Promise<string>((resolve, reject) => {
        lines.once('line', resolve);
        child.once('exit', (c) => reject(new Error(`namespace fixture exited with ${c}`)));
      });
      const [, pid, , clientPort] = line.split(' ').map(Number);
      kids.push({ child, lines, pid, clientPort, ns: readlinkSync(`/proc/${pid}/ns/net`) });
    }
  }, 30_000);

  afterAll(async () => {
    for (const k of kids) k.child.stdin!.end();
    await Promise.all(kids.map((k) => new Promise((r) => (k.child.exitCode !== null ? r(null) : k.child.once('exit', r)))));
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs each namespace\'s sockets, and its short-lived connections with their process, apart', async () => {
    const logs = join(dir, 'logs');
    const w = startWatch(logs, ['--interval', '1', '--no-hash']);
    await w.nextFlush();
    const bursts = await Promise.all(kids.map((k) => new Promise<number[]>((resolve) => {
      k.lines.once('line', (l) => resolve(JSON.parse(l.slice('burst '.length)) as number[]));
      k.child.stdin!.write('burst 20\n');
    })));
    await w.nextFlush();
    await w.nextFlush();
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);

    // At start: the listener and the pair of each namespace, in the initial log, with their namespace.
    const initial = readLogs(logs, 'initial').flatMap((f) => f.rows);
    for (const k of kids) {
      const mine = initial.filter((r) => r.LinuxNetNamespace === k.ns && r.Protocol === 'TCP');
      expect(mine.map((r) => `${r.State}|${r.LocalPort}|${r.RemotePort}`).sort()).toEqual([`Listen|${PORT}|0`, `Established|${PORT}|${k.clientPort}`, `Established|${k.clientPort}|${PORT}`].sort());
      for (const r of mine) expect(r).toMatchObject({ ProcessId: String(k.pid), ProcessName: 'node', UserName: 'root' });
    }
    // Then: every short-lived connection, both ends, in its own namespace.
    const closes = readLogs(logs, 'connections').flatMap((f) => f.rows).filter((r) => r.Event === 'Close' && r.Protocol === 'TCP');
    const counts: string[] = [];
    kids.forEach((k, i) => {
      const inNs = closes.filter((r) => r.LinuxNetNamespace === k.ns);
      const clientEnds = bursts[i].map((p) => inNs.find((r) => Number(r.LocalPort) === p && Number(r.RemotePort) === PORT));
      const serverEnds = bursts[i].map((p) => inNs.find((r) => Number(r.LocalPort) === PORT && Number(r.RemotePort) === p));
      counts.push(`${k.ns}: ${clientEnds.filter(Boolean).length}/20 client ends, ${serverEnds.filter(Boolean).length}/20 server ends`);
      for (const r of [...clientEnds, ...serverEnds]) {
        expect(r, `${k.ns}: a short-lived end is missing`).toBeDefined();
        expect(r).toMatchObject({ ProcessId: String(k.pid), UserName: 'root' });
      }
      expect(clientEnds.every((r) => r!.OwnerStatus === 'Known' && r!.ExecutablePath !== '')).toBe(true);
      expect(serverEnds.every((r) => r!.OwnerStatus === 'Inferred')).toBe(true);
    });
    console.log(`short-lived connections in other namespaces: ${counts.join('; ')}`);
    // No row of one namespace carries the other's process.
    for (const [i, k] of kids.entries()) {
      const other = kids[1 - i];
      expect(closes.filter((r) => r.LinuxNetNamespace === k.ns && r.ProcessId === String(other.pid))).toEqual([]);
    }
  }, 90_000);

  it('notices a namespace that appears while it runs, logs its connections, and lets it go when it ends', async () => {
    const logs = join(dir, 'appear');
    const w = startWatch(logs, ['--interval', '1', '--no-hash']);
    await w.nextFlush();
    // The logger's sockets (worker threads come and go with other descriptors meanwhile).
    const fds = () => readdirSync(`/proc/${w.child.pid}/fd`).filter((f) => { try { return readlinkSync(`/proc/${w.child.pid}/fd/${f}`).startsWith('socket:'); } catch { return false; } }).length;
    const before = fds();
    const child = spawn('unshare', ['--net', '--', 'sh', '-c', `ip link set lo up && exec "$0" "$1" "$2"`, process.execPath, join(FIXTURES, 'netns-pair.cjs'), String(PORT)],
      { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const [, pid] = (await new Promise<string>((r) => lines.once('line', r))).split(' ').map(Number);
    const ns = readlinkSync(`/proc/${pid}/ns/net`);
    // Its first connect names a namespace not met before: the logger looks for it at once.
    for (let i = 0; i < 50 && fds() < before + 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(fds(), 'a dump and a destroy socket in the new namespace').toBe(before + 2);
    const ports = await new Promise<number[]>((resolve) => { lines.once('line', (l) => resolve(JSON.parse(l.slice(6)))); child.stdin!.write('burst 20\n'); });
    child.stdin!.end();
    await new Promise((r) => child.once('exit', r));
    // Gone: let go at the next refresh (every 10 s), after its last closes are read.
    for (let i = 0; i < 150 && fds() > before; i++) await new Promise((r) => setTimeout(r, 100));
    expect(fds(), 'the namespace is let go').toBe(before);
    await w.nextFlush();
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    const closes = readLogs(logs, 'connections').flatMap((f) => f.rows).filter((r) => r.Event === 'Close' && r.LinuxNetNamespace === ns);
    const clientEnds = ports.filter((p) => closes.some((r) => Number(r.LocalPort) === p && r.ProcessId === String(pid)));
    expect(clientEnds.length).toBe(20);
  }, 60_000);
});
