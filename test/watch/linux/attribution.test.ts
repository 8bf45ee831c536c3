/**
 * Connect-time attribution end to end: a client running as nobody in its own process makes 1,000
 * loopback connections, each living under 20 ms, while the logger polls every second. With the
 * eBPF source the client end of each is logged with the client's pid, executable and user; with
 * destroy events alone (a second logger beside it) the same ends have no owner. The programs are
 * gone from the cgroup once the logger is killed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogs, startWatch } from '../../helpers/watch.js';
import { FIXTURES } from '../../helpers/procs.js';
import { BPF, progQueryCount } from '../../../native/linux/bpf.js';
import { C, libc } from '../../../native/linux/libc.js';
import { readFileSync } from 'node:fs';
import { cgroup2Mount, type ConnectRecord } from '../../../src/collect/linux/connects.js';
import { Attribution } from '../../../src/watch/linux/attribution.js';
import type { ProcessInfo } from '../../../src/model/record.js';
import { decodeBytes } from '../../../src/util/bytes.js';

describe('Attribution: a record joined with the process it names', () => {
  const rec = (cookie: string, pid: number, comm: Buffer | string = 'curl', at = 1_000_000): ConnectRecord => ({
    cookie, pid, tid: pid, uid: 1000, gid: 1000, comm: Buffer.from(comm), netnsCookie: '1', time: new Date(at), hook: 'connect4', protocol: 'TCP',
  });
  const proc = (pid: number, over: Partial<ProcessInfo> = {}): ProcessInfo => ({
    ProcessId: pid, ProcessName: 'curl', ExecutablePath: '/usr/bin/curl', CommandLine: 'curl x', ParentProcessId: 1, ProcessStartTime: new Date(999_000).toISOString(),
    UserName: 'alice', UserId: '1000', ServiceName: null, IsService: false, Modules: null, ExecutableSha256: null, ...over,
  });
  const world = (procs: Map<number, ProcessInfo>, exes: Map<number, string> = new Map()) => ({
    executable: (pid: number) => exes.get(pid) ?? null,
    process: (pid: number, before: Date) => { const p = procs.get(pid); return p && Date.parse(p.ProcessStartTime!) <= before.getTime() ? p : null; },
    user: (uid: number) => (uid === 1000 ? 'alice' : null),
  });

  it('takes the live process, else what the record says, and never a process that started after the call', () => {
    const a = new Attribution(world(new Map([[10, proc(10)], [11, proc(11, { ProcessStartTime: new Date(1_005_000).toISOString(), ProcessName: 'sshd' })]])));
    a.add([rec('1', 10), rec('2', 11), rec('3', 12, Buffer.from([0x62, 0xff, 0x1b]))]);
    expect(a.get('1')!.owner.ExecutablePath).toBe('/usr/bin/curl');
    // pid 11 was reused by a later process: the record alone, not sshd.
    expect(a.get('2')!.owner).toMatchObject({ ProcessId: 11, ProcessName: 'curl', ExecutablePath: null, UserId: '1000', UserName: 'alice' });
    expect(a.get('3')!.owner.ProcessName).toBe(decodeBytes(Buffer.from([0x62, 0xff, 0x1b])));
    expect(a.get('3')!.time).toEqual(new Date(1_000_000));
    expect(a.get('4')).toBeNull();
    expect(a.get(null)).toBeNull();
  });

  it('completes a process read as it exited with the record\'s uid and the executable read first', () => {
    const exiting = proc(20, { UserId: null, UserName: null, ExecutablePath: null });
    const a = new Attribution(world(new Map([[20, exiting]]), new Map([[20, '/tmp/.x/curl']])));
    a.add([rec('5', 20)]);
    expect(a.get('5')!.owner).toMatchObject({ ProcessId: 20, UserId: '1000', UserName: 'alice', ExecutablePath: '/tmp/.x/curl' });
    expect(exiting.UserId, 'the cached process is left as read').toBeNull();
  });

  it('holds at most its bound, dropping the oldest, and forgets closed sockets', () => {
    const a = new Attribution(world(new Map()), 3);
    a.add(['1', '2', '3', '4'].map((c) => rec(c, 30)));
    expect(a.size).toBe(3);
    expect(a.evicted).toBe(1);
    expect(a.get('1')).toBeNull();
    a.forget('4');
    expect(a.get('4')).toBeNull();
    expect(a.size).toBe(2);
  });
});

const root = process.geteuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), 'portreport-attr-'));
let server: net.Server;
let port = 0;

beforeAll(async () => {
  server = net.createServer((s) => { s.on('error', () => {}); s.resume(); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => { server?.close(); rmSync(dir, { recursive: true, force: true }); });

/** The fixture as nobody (a copy it can read: the checkout may be private). */
function shortClient(n: number): Promise<{ pid: number; ports: number[]; longestMs: number; over20: number }> {
  const pub = mkdtempSync(join(tmpdir(), 'portreport-pub-'));
  chmodSync(pub, 0o755);
  const fixture = join(pub, 'short-client.cjs');
  copyFileSync(join(FIXTURES, 'short-client.cjs'), fixture);
  chmodSync(fixture, 0o644);
  return new Promise((resolve, reject) => execFile('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, fixture, String(port), String(n)],
    { timeout: 60_000 }, (e, out) => { rmSync(pub, { recursive: true, force: true }); if (e) reject(e); else resolve(JSON.parse(out)); }));
}

function attachedConnectPrograms(): number {
  const c = libc();
  const fd = c.open(cgroup2Mount(readFileSync('/proc/self/mountinfo', 'utf8'))!, C.O_RDONLY | C.O_DIRECTORY | C.O_CLOEXEC);
  try { return progQueryCount(fd, BPF.CGROUP_INET4_CONNECT); } finally { c.close(fd); }
}

describe.runIf(root)('portreport watch: connect-time attribution (eBPF)', () => {
  it('logs the client end of 1,000 sub-20 ms connections with the client\'s pid, executable and user', async () => {
    const bpfLogs = join(dir, 'bpf');
    const plainLogs = join(dir, 'destroy-only');
    const w = startWatch(bpfLogs, ['--interval', '1', '--no-hash', '--event-source', 'bpf']);
    const plain = startWatch(plainLogs, ['--interval', '1', '--no-hash', '--event-source', 'destroy']);
    await Promise.all([w.nextFlush(), plain.nextFlush()]);
    const client = await shortClient(1000);
    expect(client.ports.length).toBe(1000);
    await Promise.all([w.nextFlush(), plain.nextFlush()]);
    await Promise.all([w.nextFlush(), plain.nextFlush()]);
    w.child.kill('SIGTERM');
    plain.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(await plain.exited).toBe(0);

    const ends = (logs: string) => {
      const closes = readLogs(logs, 'connections').flatMap((f) => f.rows).filter((r) => r.Event === 'Close' && r.Protocol === 'TCP');
      return {
        client: new Map(closes.filter((r) => Number(r.RemotePort) === port).map((r) => [Number(r.LocalPort), r])),
        server: new Map(closes.filter((r) => Number(r.LocalPort) === port).map((r) => [Number(r.RemotePort), r])),
      };
    };
    const exe = realpathSync(process.execPath);
    const isClient = (r: Record<string, string> | undefined) => r !== undefined && r.ProcessId === String(client.pid) && r.ExecutablePath === exe && r.UserId === '65534' && r.UserName === 'nobody';
    const bpf = ends(bpfLogs);
    const attributed = client.ports.filter((p) => isClient(bpf.client.get(p))).length;
    const missing = client.ports.filter((p) => !bpf.client.has(p)).length;
    const recordOnly = client.ports.filter((p) => { const r = bpf.client.get(p); return r && r.ProcessId === String(client.pid) && r.ExecutablePath === ''; }).length;
    const servers = client.ports.filter((p) => bpf.server.get(p)?.ProcessId === String(process.pid)).length;
    const plainEnds = ends(plainLogs);
    const plainAttributed = client.ports.filter((p) => plainEnds.client.get(p)?.ProcessId === String(client.pid)).length;
    console.log(`client ends attributed to pid ${client.pid} (${exe}, nobody): ${attributed}/1000 with eBPF `
      + `(${recordOnly} with pid and user but no executable, ${missing} not logged), ${plainAttributed}/1000 with destroy events alone; `
      + `server ends: ${servers}/1000; longest connection ${client.longestMs.toFixed(1)} ms, ${client.over20} of 1000 lived 20 ms or more`);
    // The connections are short-lived: on a busy machine a few may take longer to close.
    expect(client.over20).toBeLessThanOrEqual(10);
    expect(attributed).toBeGreaterThanOrEqual(990);
    expect(servers).toBe(1000);
    expect(plainAttributed, 'destroy events alone cannot name the client').toBeLessThan(100);
    // A connection no poll saw starts when its process connected.
    const one = bpf.client.get(client.ports[500])!;
    expect(one.FirstSeen).not.toBe('');
    expect(Number(one.DurationSeconds)).toBeGreaterThanOrEqual(0);
    expect(w.diagnostics.some((d) => d.Code === 'PR_CONNECT_EVENTS_LOST')).toBe(false);
  }, 120_000);

  it('names a process that connects once and exits at once (a dropper\'s one call home)', async () => {
    const logs = join(dir, 'droppers');
    const w = startWatch(logs, ['--interval', '1', '--no-hash', '--event-source', 'bpf']);
    await w.nextFlush();
    // 50 shells as nobody, each opening one connection through bash's /dev/tcp and exiting.
    const pids: number[] = [];
    for (let i = 0; i < 50; i++) {
      pids.push(await new Promise<number>((resolve, reject) => {
        const child = execFile('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/bin/bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}; echo $$`],
          { timeout: 10_000 }, (e, out) => (e ? reject(e) : resolve(Number(out.trim()))));
        child.on('error', reject);
      }));
    }
    await w.nextFlush();
    await w.nextFlush();
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    const closes = readLogs(logs, 'connections').flatMap((f) => f.rows).filter((r) => r.Event === 'Close' && Number(r.RemotePort) === port);
    const byPid = new Map(closes.map((r) => [Number(r.ProcessId), r]));
    const named = pids.filter((p) => byPid.get(p)?.UserName === 'nobody').length;
    const withExe = pids.filter((p) => byPid.get(p)?.ExecutablePath === realpathSync('/bin/bash')).length;
    console.log(`one-shot processes named by pid and user: ${named}/50, with their executable: ${withExe}/50`);
    expect(named).toBe(50);
    expect(withExe, 'some one-shot shells are read before they exit').toBeGreaterThan(0);
    for (const p of pids) expect(byPid.get(p)?.ProcessName ?? 'bash').toBe('bash');
  }, 120_000);

  it('leaves nothing attached when the logger is killed', async () => {
    const before = attachedConnectPrograms();
    const w = startWatch(join(dir, 'killed'), ['--interval', '1', '--no-hash', '--event-source', 'bpf']);
    await w.nextFlush();
    expect(attachedConnectPrograms()).toBe(before + 1);
    w.child.kill('SIGKILL');
    await w.exited;
    // The kernel releases the links with the dead process's descriptors (deferred work): wait a moment.
    for (let i = 0; i < 50 && attachedConnectPrograms() !== before; i++) await new Promise((r) => setTimeout(r, 100));
    expect(attachedConnectPrograms()).toBe(before);
  }, 60_000);
});
