/** Socket enumeration through netlink sock_diag (the fast path; same source as `ss`). */
import type { Protocol, RawSocket } from '../../model/record.js';
import { C, libc } from '../../../native/linux/libc.js';
import { buildDumpRequest, NetlinkError, parseDiagMessages } from './inetdiag.js';

const RECV_BUFFER = 1 << 20;

/** Open a NETLINK_SOCK_DIAG socket; returns -errno on failure. */
function openDiagSocket(): number {
  const c = libc();
  const fd = c.socket(C.AF_NETLINK, C.SOCK_RAW | C.SOCK_CLOEXEC, C.NETLINK_SOCK_DIAG);
  return fd < 0 ? -c.errno() : fd;
}

export interface DumpTarget {
  protocol: Protocol;
  family: 'IPv4' | 'IPv6';
}

export const ALL_TARGETS: DumpTarget[] = [
  { protocol: 'TCP', family: 'IPv4' }, { protocol: 'TCP', family: 'IPv6' },
  { protocol: 'UDP', family: 'IPv4' }, { protocol: 'UDP', family: 'IPv6' },
];

/** Dump the sockets of the calling process's network namespace. Throws NetlinkError. */
export function dumpSockets(targets: DumpTarget[] = ALL_TARGETS): RawSocket[] {
  const c = libc();
  const fd = openDiagSocket();
  if (fd < 0) throw new NetlinkError(-fd, `cannot open NETLINK_SOCK_DIAG socket: errno ${-fd}`);
  const buf = Buffer.allocUnsafe(RECV_BUFFER);
  const nladdr = Buffer.alloc(12);
  nladdr.writeUInt16LE(C.AF_NETLINK, 0);
  const out: RawSocket[] = [];
  try {
    let seq = 1;
    for (const t of targets) {
      const req = buildDumpRequest(t.family === 'IPv4' ? C.AF_INET : C.AF_INET6,
        t.protocol === 'TCP' ? C.IPPROTO_TCP : C.IPPROTO_UDP, seq++);
      if (c.sendto(fd, req, req.length, 0, nladdr, nladdr.length) < 0) {
        throw new NetlinkError(c.errno(), `sock_diag request failed: errno ${c.errno()}`);
      }
      for (;;) {
        const n = c.recv(fd, buf, RECV_BUFFER, 0);
        if (n < 0) {
          const e = c.errno();
          if (e === C.EINTR) continue;
          throw new NetlinkError(e, `sock_diag receive failed: errno ${e}`);
        }
        if (n === 0) break;
        const r = parseDiagMessages(buf, n, t.protocol);
        for (const s of r.sockets) out.push(s);
        if (r.done) break;
      }
    }
  } finally {
    c.close(fd);
  }
  return out;
}
