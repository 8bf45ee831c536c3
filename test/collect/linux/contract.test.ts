/**
 * The collector contract on real loopback sockets: a TCP listener, established TCP connections over
 * IPv4 and IPv6, and a bound UDP socket, each found with the right pid, path, user and state; and
 * the netlink and /proc/net sources agree on the same host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import net from 'node:net';
import { realpathSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { collectLinux } from '../../../src/collect/linux/index.js';
import type { ConnectionRecord } from '../../../src/model/record.js';
import type { SnapshotOptions } from '../../../src/collect/types.js';

const opts = (o: Partial<SnapshotOptions> = {}): SnapshotOptions => ({ filter: {}, includeModules: false, includeHash: false, source: 'auto', ...o });
const servers: net.Server[] = [];
const sockets: net.Socket[] = [];
let udp: dgram.Socket;
const ports = { v4: 0, v6: 0, udp: 0, client4: 0, client6: 0 };

function listen(host: string): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer((c) => sockets.push(c));
    servers.push(s);
    s.listen(0, host, () => resolve((s.address() as net.AddressInfo).port));
  });
}

function connect(host: string, port: number): Promise<number> {
  return new Promise((resolve) => {
    const c = net.connect(port, host, () => resolve(c.localPort!));
    sockets.push(c);
  });
}

beforeAll(async () => {
  ports.v4 = await listen('127.0.0.1');
  ports.v6 = await listen('::1');
  ports.client4 = await connect('127.0.0.1', ports.v4);
  ports.client6 = await connect('::1', ports.v6);
  udp = dgram.createSocket('udp4');
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  ports.udp = udp.address().port;
  await new Promise((r) => setTimeout(r, 50)); // let the accepts land
});

afterAll(() => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
  udp?.close();
});

function expectMine(r: ConnectionRecord | undefined): void {
  expect(r, 'socket not found in snapshot').toBeDefined();
  expect(r!.ProcessId).toBe(process.pid);
  expect(r!.OwnerStatus).toBe('Known');
  expect(r!.ExecutablePath).toBe(realpathSync(process.execPath));
  expect(r!.UserId).toBe(String(process.geteuid!()));
  expect(r!.UserName).toBe(userInfo().username);
  expect(r!.ParentProcessId).toBe(process.ppid);
  expect(r!.CommandLine).toBe([process.argv[0], ...process.execArgv, ...process.argv.slice(1)].join(' '));
  expect(Math.abs(Date.parse(r!.ProcessStartTime!) - (Date.now() - process.uptime() * 1000))).toBeLessThan(5000);
}

describe.each(['netlink', 'procfs'] as const)('Linux collector via %s', (source) => {
  it('finds the TCP listener, both ends of IPv4 and IPv6 connections, and the UDP socket', async () => {
    const { records } = await collectLinux(opts({ source }));
    const find = (p: Partial<ConnectionRecord>) => records.find((r) => Object.entries(p).every(([k, v]) => r[k as keyof ConnectionRecord] === v));
    const listener = find({ Protocol: 'TCP', LocalAddress: '127.0.0.1', LocalPort: ports.v4, State: 'Listen' });
    expectMine(listener);
    expect(listener!.AddressFamily).toBe('IPv4');
    expectMine(find({ Protocol: 'TCP', LocalPort: ports.client4, RemotePort: ports.v4, State: 'Established', AddressFamily: 'IPv4' }));
    expectMine(find({ Protocol: 'TCP', LocalPort: ports.v4, RemotePort: ports.client4, State: 'Established' }));
    const v6 = find({ Protocol: 'TCP', LocalAddress: '::1', LocalPort: ports.client6, RemoteAddress: '::1', RemotePort: ports.v6 });
    expectMine(v6);
    expect(v6!.AddressFamily).toBe('IPv6');
    expectMine(find({ Protocol: 'TCP', LocalAddress: '::1', LocalPort: ports.v6, State: 'Listen' }));
    const u = find({ Protocol: 'UDP', LocalAddress: '127.0.0.1', LocalPort: ports.udp });
    expectMine(u);
    expect(u!.State).toBe('Bound');
    expect(u!.Linux!.Source).toBe(source);
    if (source === 'netlink') {
      expect(listener!.Linux!.Cookie).toMatch(/^\d+$/);
      expect(v6!.BytesSent).not.toBeNull();
    }
  });
});

describe('netlink and /proc/net agree', () => {
  it('report the same sockets (those stable across the reads) with the same facts', async () => {
    const key = (r: ConnectionRecord) => [r.Protocol, r.LocalAddress, r.LocalPort, r.RemoteAddress, r.RemotePort, r.State, r.Linux!.Inode, r.ProcessId].join('|');
    const a = new Set((await collectLinux(opts({ source: 'netlink' }))).records.map(key));
    const p = new Set((await collectLinux(opts({ source: 'procfs' }))).records.map(key));
    const b = new Set((await collectLinux(opts({ source: 'netlink' }))).records.map(key));
    // A socket in both netlink reads existed throughout, so /proc/net must show it too, and the
    // other way round: churn between the reads is allowed, disagreement is not.
    const stable = [...a].filter((k) => b.has(k));
    expect(stable.length).toBeGreaterThanOrEqual(6);
    expect(stable.filter((k) => !p.has(k))).toEqual([]);
    expect([...p].filter((k) => !a.has(k) && !b.has(k))).toEqual([]);
  });
});

describe('filters', () => {
  it('narrow by protocol, state, port, address and pid before output', async () => {
    const only = async (filter: SnapshotOptions['filter']) => (await collectLinux(opts({ filter }))).records;
    const l = await only({ protocol: ['TCP'], state: ['Listen'], localPort: [ports.v4] });
    expect(l).toHaveLength(1);
    expect(l[0].ProcessId).toBe(process.pid);
    expect((await only({ remotePort: [ports.v6] })).map((r) => r.LocalPort)).toEqual([ports.client6]);
    expect((await only({ remoteAddress: ['::1/128'], remotePort: [ports.v6] }))).toHaveLength(1);
    expect((await only({ remoteAddress: ['10.0.0.0/8'], remotePort: [ports.v6] }))).toHaveLength(0);
    const mine = await only({ pid: [process.pid] });
    expect(mine.length).toBeGreaterThanOrEqual(6);
    expect(mine.every((r) => r.ProcessId === process.pid)).toBe(true);
    const byName = await only({ processName: ['NODE*'], protocol: ['UDP'], localPort: [ports.udp] });
    expect(byName).toHaveLength(1);
    expect(await only({ processName: ['no-such-process'], protocol: ['UDP'], localPort: [ports.udp] })).toHaveLength(0);
  });

  it('reports modules and the executable hash only when asked', async () => {
    const [plain] = (await collectLinux(opts({ filter: { protocol: ['UDP'], localPort: [ports.udp] } }))).records;
    expect(plain.Modules).toBeNull();
    expect(plain.ExecutableSha256).toBeNull();
    const [full] = (await collectLinux(opts({ filter: { protocol: ['UDP'], localPort: [ports.udp] }, includeModules: true, includeHash: true }))).records;
    expect(full.Modules).toContain(realpathSync(process.execPath));
    expect(full.Modules!.some((m) => /libc\.so/.test(m))).toBe(true);
    expect(full.ExecutableSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('module paths, exactly', () => {
  it.runIf(process.geteuid?.() === 0)('tells a newline in a library path from the four characters \\012', async () => {
    const { mkdtempSync, copyFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { spawn } = await import('node:child_process');
    const { ProcessReader } = await import('../../../src/collect/linux/process.js');
    const dir = mkdtempSync(join(tmpdir(), 'portreport-maps-'));
    const lib = ['/lib/x86_64-linux-gnu/libdl.so.2', '/usr/lib/x86_64-linux-gnu/libdl.so.2'].find((p) => { try { return statSync(p).isFile(); } catch { return false; } })!;
    const names = [join(dir, 'new\nline.so'), join(dir, 'new\\012line.so')];
    const kids = names.map((n) => { copyFileSync(lib, n); return spawn('/bin/sleep', ['30'], { env: { LD_PRELOAD: n }, stdio: 'ignore' }); });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const reader = new ProcessReader();
      const mods = kids.map((k) => reader.modules(k.pid!) ?? []);
      expect(mods[0]).toContain(names[0]);
      expect(mods[1]).toContain(names[1]);
    } finally {
      for (const k of kids) k.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
