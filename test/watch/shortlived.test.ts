/**
 * The logger catches connections that live between two polls: 1,000 loopback TCP connections each
 * living under 20 ms, while it polls every second, all appear as closed in the connections log;
 * those that lived at least one poll interval carry their owning pid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogs, startWatch, type Watcher } from '../helpers/watch.js';
import { FIXTURES } from '../helpers/procs.js';

const dir = mkdtempSync(join(tmpdir(), 'portreport-watch-'));
const logs = join(dir, 'logs');
let server: net.Server;
let port = 0;
let watch: Watcher;

beforeAll(async () => {
  server = net.createServer((s) => { s.on('error', () => {}); s.on('data', () => {}); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as net.AddressInfo).port;
  watch = startWatch(logs, ['--interval', '1', '--no-hash']);
  await watch.nextFlush();
});

afterAll(() => {
  watch?.child.kill('SIGKILL');
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function connectFor(ms: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => {
      const local = c.localPort!;
      c.write('x');
      setTimeout(() => { c.end(); c.once('close', () => resolve(local)); }, ms);
    });
    c.on('error', reject);
  });
}

describe('portreport watch: short-lived connections', () => {
  it('logs all 1,000 sub-20 ms connections as closed, and owners of those that lived a poll', async () => {
    const short: number[] = [];
    const t0 = Date.now();
    const longLived = Promise.all(Array.from({ length: 10 }, () => connectFor(2500)));
    for (let i = 0; i < 1000; i += 25) {
      short.push(...await Promise.all(Array.from({ length: 25 }, () => connectFor(Math.floor(Math.random() * 10)))));
    }
    const long = await longLived;
    expect(Date.now() - t0).toBeGreaterThan(2000);
    await watch.nextFlush();
    await watch.nextFlush();
    watch.child.kill('SIGTERM');
    expect(await watch.exited).toBe(0);

    const rows = readLogs(logs, 'connections').flatMap((f) => f.rows);
    const closes = rows.filter((r) => r.Event === 'Close' && r.Protocol === 'TCP');
    const clientSide = new Map(closes.filter((r) => Number(r.RemotePort) === port).map((r) => [Number(r.LocalPort), r]));
    const serverSide = new Map(closes.filter((r) => Number(r.LocalPort) === port && r.RemotePort !== '0').map((r) => [Number(r.RemotePort), r]));
    const missing = short.filter((p) => !clientSide.has(p) || !serverSide.has(p));
    expect(missing, `connections missing from the log: ${missing.slice(0, 10)}`).toEqual([]);

    for (const p of long) {
      expect(clientSide.get(p)!.ProcessId).toBe(String(process.pid));
      expect(serverSide.get(p)!.ProcessId).toBe(String(process.pid));
      expect(clientSide.get(p)!.OwnerStatus).toBe('Known');
      expect(Number(clientSide.get(p)!.DurationSeconds)).toBeGreaterThan(0);
    }
    const ends = short.flatMap((p) => [clientSide.get(p)!, serverSide.get(p)!]);
    const attributed = ends.filter((r) => r.ProcessId === String(process.pid)).length;
    const inferred = ends.filter((r) => r.OwnerStatus === 'Inferred').length;
    console.log(`short-lived connection ends attributed to their pid: ${attributed}/${ends.length} (${(100 * attributed / ends.length).toFixed(1)}%), ${inferred} inferred from the listener; every end has its uid (UserName ${ends[0].UserName})`);
    // Ends a poll never saw carry the owner inferred from the listener, or no uid at all (the
    // kernel's notification says 0 for every socket): never a uid that was not seen.
    expect(ends.every((r) => r.UserId === String(process.geteuid!()) || (r.UserId === '' && r.OwnerStatus === 'NotFound'))).toBe(true);
    expect(serverSide.get(short[0])!.OwnerStatus).toBe('Inferred');
    expect(rows.some((r) => r.Event === 'Gap')).toBe(false);
  });

  it.runIf(process.geteuid?.() === 0)('records the real owner of another user\'s connections, or none: never root', async () => {
    const w = startWatch(join(dir, 'uid-logs'), ['--interval', '0.5', '--no-hash']);
    await w.nextFlush();
    // The client runs as nobody: a copy of the fixture it can read (the checkout may be private).
    const { chmodSync, copyFileSync } = await import('node:fs');
    const pub = mkdtempSync(join(tmpdir(), 'portreport-pub-'));
    chmodSync(pub, 0o755);
    const fixture = join(pub, 'client.cjs');
    copyFileSync(join(FIXTURES, 'client.cjs'), fixture);
    chmodSync(fixture, 0o644);
    // Asynchronously: the server lives in this process and must keep accepting meanwhile.
    const { execFile } = await import('node:child_process');
    const client = (n: number, hold: number) => new Promise<number[]>((resolve, reject) => execFile('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath,
      fixture, String(port), String(n), String(hold)], { timeout: 30_000 }, (e, out) => (e ? reject(e) : resolve(JSON.parse(out) as number[]))));
    const shortPorts = await client(20, 0);
    const longPorts = await client(3, 1500);
    rmSync(pub, { recursive: true, force: true });
    await w.nextFlush();
    await w.nextFlush();
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    const closes = readLogs(join(dir, 'uid-logs'), 'connections').flatMap((f) => f.rows).filter((r) => r.Event === 'Close' && Number(r.RemotePort) === port);
    const byPort = new Map(closes.map((r) => [Number(r.LocalPort), r]));
    for (const p of longPorts) expect(byPort.get(p)?.UserId, `long-lived ${p}`).toBe('65534');
    for (const p of shortPorts) {
      const r = byPort.get(p);
      expect(r, `short-lived ${p} logged`).toBeDefined();
      expect(r!.UserId === '65534' || r!.UserId === '', `short-lived ${p}: UserId ${r!.UserId}`).toBe(true);
      expect(r!.UserName).not.toBe('root');
    }
  }, 60_000);
});
