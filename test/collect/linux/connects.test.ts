/**
 * The connect-time event source against the real kernel: a process running as nobody connects,
 * sends and binds over IPv4 and IPv6, and each socket is reported once, with that process's pid,
 * uid and command name and the cookie sock_diag reports for the same socket. Closing the source
 * detaches every program. Root only (eBPF and cgroup links need it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import dgram from 'node:dgram';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ConnectEvents, cgroup2Mount, type ConnectRecord } from '../../../src/collect/linux/connects.js';
import { dumpSockets } from '../../../src/collect/linux/netlink.js';
import { BPF, progQueryCount } from '../../../native/linux/bpf.js';
import { C, libc } from '../../../native/linux/libc.js';

describe('cgroup v2 mount point from mountinfo', () => {
  const line = (root: string, at: string, fs: string) => `35 24 0:30 ${root} ${at} rw,nosuid shared:9 - ${fs} ${fs} rw`;
  it('finds the unified or hybrid mount, unescaping its path, and ignores a bound sub-cgroup', () => {
    expect(cgroup2Mount([line('/', '/sys/fs/cgroup', 'tmpfs'), line('/', '/sys/fs/cgroup/unified', 'cgroup2')].join('\n'))).toBe('/sys/fs/cgroup/unified');
    expect(cgroup2Mount(line('/', '/sys/fs/cgroup', 'cgroup2'))).toBe('/sys/fs/cgroup');
    expect(cgroup2Mount(line('/', '/mnt/cg\\040two', 'cgroup2'))).toBe('/mnt/cg two');
    expect(cgroup2Mount(line('/system.slice', '/sys/fs/cgroup', 'cgroup2'))).toBeNull();
    expect(cgroup2Mount(line('/', '/sys/fs/cgroup/cpu', 'cgroup'))).toBeNull();
    expect(cgroup2Mount('')).toBeNull();
  });
});

const root = process.geteuid?.() === 0;
const HOOKS = [BPF.CGROUP_INET4_CONNECT, BPF.CGROUP_INET6_CONNECT, BPF.CGROUP_UDP4_SENDMSG, BPF.CGROUP_UDP6_SENDMSG, BPF.CGROUP_INET4_BIND, BPF.CGROUP_INET6_BIND];
function attached(): number[] {
  const c = libc();
  const fd = c.open(cgroup2Mount(readFileSync('/proc/self/mountinfo', 'utf8'))!, C.O_RDONLY | C.O_DIRECTORY | C.O_CLOEXEC);
  try { return HOOKS.map((h) => progQueryCount(fd, h)); } finally { c.close(fd); }
}

describe.runIf(root)('connect-time events (eBPF, real kernel)', () => {
  let ev: ConnectEvents;
  let before: number[];
  let tcp4: net.Server;
  let tcp6: net.Server;
  let udp: dgram.Socket;
  beforeAll(async () => {
    before = attached();
    ev = ConnectEvents.open();
    tcp4 = net.createServer((s) => s.on('error', () => {}));
    tcp6 = net.createServer((s) => s.on('error', () => {}));
    await new Promise<void>((r) => tcp4.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => tcp6.listen(0, '::1', r));
    udp = dgram.createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
  });
  afterAll(() => { ev?.close(); tcp4?.close(); tcp6?.close(); udp?.close(); });

  it('reports each socket once, with the acting process, its uid and command name', async () => {
    expect(attached()).toEqual(before.map((n) => n + 1));
    const p4 = (tcp4.address() as net.AddressInfo).port;
    const p6 = (tcp6.address() as net.AddressInfo).port;
    const pu = udp.address().port;
    // One socket per hook, then one UDP socket sending 100 datagrams: perl (Debian's perl-base), as nobody.
    const script = `use Socket qw(:DEFAULT inet_pton pack_sockaddr_in6); $|=1;
      socket(A, PF_INET, SOCK_STREAM, 0); connect(A, pack_sockaddr_in(${p4}, inet_aton("127.0.0.1"))) or die "connect4";
      socket(B, PF_INET6, SOCK_STREAM, 0); connect(B, pack_sockaddr_in6(${p6}, inet_pton(AF_INET6, "::1"))) or die "connect6";
      socket(U, PF_INET, SOCK_DGRAM, 0); send(U, "x", 0, pack_sockaddr_in(${pu}, inet_aton("127.0.0.1"))) or die "sendmsg4";
      socket(V, PF_INET6, SOCK_DGRAM, 0); send(V, "x", 0, pack_sockaddr_in6(9, inet_pton(AF_INET6, "::1")));
      socket(W, PF_INET, SOCK_DGRAM, 0); bind(W, pack_sockaddr_in(0, inet_aton("127.0.0.1"))) or die "bind4";
      socket(X, PF_INET6, SOCK_DGRAM, 0); bind(X, pack_sockaddr_in6(0, inet_pton(AF_INET6, "::1"))) or die "bind6";
      socket(M, PF_INET, SOCK_DGRAM, 0); send(M, "m", 0, pack_sockaddr_in(${pu}, inet_aton("127.0.0.1"))) for 1..100;
      my ($port) = unpack_sockaddr_in(getsockname(A)); print "$$ $port\\n"; sleep 2;`;
    const child = execFile('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/usr/bin/perl', '-e', script]);
    const [pid, localPort] = await new Promise<number[]>((resolve, reject) => {
      child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim().split(' ').map(Number)));
      child.once('exit', (code) => reject(new Error(`perl exited ${code}`)));
    });
    // The live connection's cookie as sock_diag reports it.
    const dumped = dumpSockets().find((s) => s.protocol === 'TCP' && s.localPort === localPort && s.remotePort === p4)!;
    expect(dumped).toBeDefined();
    let mine: ConnectRecord[] = [];
    for (let i = 0; i < 100 && mine.length < 7; i++) {
      mine = mine.concat(ev.read().filter((r) => r.pid === pid));
      if (mine.length < 7) await new Promise((r) => setTimeout(r, 20));
    }
    child.kill();
    expect(mine.map((r) => r.hook)).toEqual(['connect4', 'connect6', 'sendmsg4', 'sendmsg6', 'bind4', 'bind6', 'sendmsg4']);
    expect(mine.map((r) => r.protocol)).toEqual(['TCP', 'TCP', 'UDP', 'UDP', 'UDP', 'UDP', 'UDP']);
    for (const r of mine) {
      expect(r.uid).toBe(65534);
      expect(r.gid).toBe(65534);
      expect(r.tid).toBe(pid);
      expect(r.comm.toString()).toBe('perl');
      expect(Math.abs(r.time.getTime() - Date.now())).toBeLessThan(10_000);
    }
    expect(mine[0].cookie).toBe(dumped.cookie);
    expect(new Set(mine.map((r) => r.cookie)).size, 'one record per socket, 100 datagrams or not').toBe(7);
    expect(ev.lost()).toBe(0);
  });

  it('detaches every program when closed', () => {
    ev.close();
    expect(attached()).toEqual(before);
    expect(ev.read()).toEqual([]);
  });
});
