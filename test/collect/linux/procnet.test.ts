import { describe, expect, it } from 'vitest';
import { parseProcNet, ProcNetParseError } from '../../../src/collect/linux/procnet.js';

// Literal /proc/net content captured from a Linux host.
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 20133 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 31337 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:A4B2 0100007F:1F90 06 00000000:00000000 03:00000F6B 00000000     0        0 0 3 0000000000000000
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 20135 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:D431 01 00000000:00000000 00:00000000 00000000     0        0 40001 1 0000000000000000 20 4 30 10 -1
   2: 0000000000000000FFFF00000100007F:0050 0000000000000000FFFF00000200007F:9C40 01 00000000:00000000 00:00000000 00000000    33        0 40002 1 0000000000000000 20 4 30 10 -1
   3: 000080FE00000000FF0E7A02A9C3D0FE:0222 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40003 1 0000000000000000 100 0 0 10 0
`;
const UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  123: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 17043 2 0000000000000000 0
  456: 0100007F:E0C4 0100007F:0035 01 00000000:00000000 00:00000000 00000000     0        0 17044 2 0000000000000000 0
`;

describe('parseProcNet', () => {
  it('decodes IPv4 TCP rows: addresses, ports, states, uid, inode', () => {
    const s = parseProcNet(TCP, 'TCP', 'IPv4');
    expect(s).toHaveLength(3);
    expect(s[0]).toMatchObject({ localAddress: '0.0.0.0', localPort: 22, remoteAddress: '0.0.0.0', remotePort: 0, state: 'Listen', uid: 0, inode: 20133, source: 'procfs' });
    expect(s[1]).toMatchObject({ localAddress: '127.0.0.1', localPort: 8080, remotePort: 50000, state: 'Established', uid: 1000, inode: 31337 });
    expect(s[2]).toMatchObject({ state: 'TimeWait', inode: 0 });
  });

  it('decodes IPv6 words in host byte order, including ::1, IPv4-mapped and link-local', () => {
    const s = parseProcNet(TCP6, 'TCP', 'IPv6');
    expect(s.map((x) => x.localAddress)).toEqual(['::', '::1', '::ffff:127.0.0.1', 'fe80::27a:eff:fed0:c3a9']);
    expect(s[2]).toMatchObject({ remoteAddress: '::ffff:127.0.0.2', remotePort: 40000, uid: 33 });
  });

  it('maps UDP state 07 to Bound and 01 to Established', () => {
    const s = parseProcNet(UDP, 'UDP', 'IPv4');
    expect(s.map((x) => [x.localAddress, x.localPort, x.state])).toEqual([['127.0.0.53', 53, 'Bound'], ['127.0.0.1', 57540, 'Established']]);
  });

  it('reports a malformed line with file, line and field, and keeps the rest', () => {
    const bad = TCP.replace('0100007F:1F90 0100007F:C350', '0100007G:1F90 0100007F:C350') + '   3: short line\n';
    const errors: ProcNetParseError[] = [];
    const s = parseProcNet(bad, 'TCP', 'IPv4', '/proc/net/tcp', (e) => errors.push(e));
    expect(s.map((x) => x.inode)).toEqual([20133, 0]);
    expect(errors.map((e) => [e.file, e.line, e.field])).toEqual([['/proc/net/tcp', 3, 'local_address'], ['/proc/net/tcp', 5, 'line']]);
    expect(errors[0].message).toContain('/proc/net/tcp:3: local_address');
  });
});
