/**
 * The sock_diag dump requests: TCP of both families in one walk of the kernel's table (the
 * TCPDIAG_GETSOCK request) gives exactly what the two per-family dumps give, byte counters too.
 */
import { describe, expect, it } from 'vitest';
import net from 'node:net';
import { buildDumpRequest } from '../../../src/collect/linux/inetdiag.js';
import { ALL_TARGETS, dumpSockets } from '../../../src/collect/linux/netlink.js';

describe('sock_diag requests', () => {
  it('asks for TCP of every family with the compatibility request, laid out as struct inet_diag_req', () => {
    const b = buildDumpRequest(0, 6, 7);
    expect(b.length).toBe(16 + 60);
    expect([b.readUInt32LE(0), b.readUInt16LE(4), b.readUInt16LE(6), b.readUInt32LE(8)]).toEqual([76, 18, 0x301, 7]);
    expect(b[16]).toBe(0); // family: ignored by the kernel (AF_UNSPEC)
    expect(b[19]).toBe(2); // idiag_ext: INET_DIAG_INFO (tcp_info, for the byte counters)
    expect(b.readUInt32LE(68)).toBe(0xffffffff); // every state
    const one = buildDumpRequest(10, 17, 8);
    expect([one.length, one.readUInt16LE(4), one[16], one[17], one[18]]).toEqual([72, 20, 10, 17, 0]);
  });

  it.runIf(process.platform === 'linux')('one walk gives both families\' sockets as the per-family dumps do', async () => {
    const servers = await Promise.all(['127.0.0.1', '::1'].map((host) => new Promise<net.Server>((r) => {
      const s = net.createServer((c) => c.on('data', (d) => c.write(d))).listen(0, host, () => r(s));
    })));
    const clients = await Promise.all(servers.map((s) => new Promise<net.Socket>((r) => {
      const a = s.address() as net.AddressInfo;
      const c = net.connect(a.port, a.address, () => { c.write('hello'); c.once('data', () => r(c)); });
    })));
    try {
      // Our sockets by both endpoints: other tests' sockets (a TIME_WAIT one too) may share a port.
      const ep = (a: string, p: number) => `${a}:${p}`;
      const pairs = new Set<string>();
      servers.forEach((s, i) => {
        const a = s.address() as net.AddressInfo;
        const c = clients[i];
        pairs.add(`${ep(a.address, a.port)} ${ep(a.address === '::1' ? '::' : '0.0.0.0', 0)}`);
        pairs.add(`${ep(c.localAddress!, c.localPort!)} ${ep(a.address, a.port)}`);
        pairs.add(`${ep(a.address, a.port)} ${ep(c.localAddress!, c.localPort!)}`);
      });
      const mine = (list: ReturnType<typeof dumpSockets>) => list.filter((s) => s.protocol === 'TCP' && pairs.has(`${ep(s.localAddress, s.localPort)} ${ep(s.remoteAddress, s.remotePort)}`))
        .map((s) => `${s.family} ${s.localAddress}:${s.localPort} ${s.remoteAddress}:${s.remotePort} ${s.state} ${s.cookie} ${s.inode} ${s.bytesAcked !== null}`).sort();
      const both = mine(dumpSockets(ALL_TARGETS));
      const each = mine(dumpSockets([{ protocol: 'TCP', family: 'IPv4' }, { protocol: 'TCP', family: 'IPv6' }]));
      expect(both.length).toBe(6); // per family: a listener and both ends of a connection
      expect(both).toEqual(each);
      expect(both.filter((l) => l.startsWith('IPv6')).length).toBe(3);
      expect(both.filter((l) => l.includes('Established')).every((l) => l.endsWith('true'))).toBe(true);
    } finally {
      for (const c of clients) c.destroy();
      for (const s of servers) s.close();
    }
  });
});
