/** Socket enumeration through netlink sock_diag (the fast path; same source as `ss`). */
import type { Protocol, RawSocket } from '../../model/record.js';
import { C, libc } from '../../../native/linux/libc.js';
import { buildDumpRequest, NetlinkError, parseDiagMessages, type SkipKnown } from './inetdiag.js';

const RECV_BUFFER = 1 << 20;

export interface DumpTarget {
  protocol: Protocol;
  /** `any`: TCP of both families in one walk of the kernel's table (inetdiag.ts buildDumpRequest). */
  family: 'IPv4' | 'IPv6' | 'any';
}

export const ALL_TARGETS: DumpTarget[] = [
  { protocol: 'TCP', family: 'any' }, { protocol: 'UDP', family: 'IPv4' }, { protocol: 'UDP', family: 'IPv6' },
];

/** Cleared when a kernel refuses the one-walk TCP request: each family is then dumped on its own. */
let tcpBothFamilies = true;
const TCP_EACH: DumpTarget[] = [{ protocol: 'TCP', family: 'IPv4' }, { protocol: 'TCP', family: 'IPv6' }];

/** The raw replies of one dump: the bytes of each recv(), to parse with parseDumpReplies(). */
export interface RawDump {
  protocol: Protocol;
  replies: Uint8Array[];
}

/**
 * Where the replies of a reusable dump are copied: one buffer kept between dumps on this thread
 * (the logger polls every second; fresh copies each time left tens of MB of buffers for the
 * collector). It grows by doubling and never shrinks below what the largest dump needed.
 */
class ReplyArena {
  private buf = Buffer.allocUnsafe(0);
  private used = 0;

  reset(): void { this.used = 0; }

  /** Room for n more bytes; replies already handed out stay valid only until the next reset. */
  copy(src: Buffer, n: number): Uint8Array {
    if (this.used + n > this.buf.length) {
      // Earlier replies of this dump still point into the old buffer, which they keep alive.
      this.buf = Buffer.allocUnsafe(Math.max(RECV_BUFFER, 2 * (this.buf.length + n)));
      this.used = 0;
    }
    src.copy(this.buf, this.used, 0, n);
    const out = this.buf.subarray(this.used, this.used + n);
    this.used += (n + 7) & ~7;
    return out;
  }
}

let recvBuf: Buffer | null = null;
const arena = new ReplyArena();

/**
 * Dump the sockets of the calling process's network namespace without parsing them (the kernel
 * time of a snapshot; a worker can do it and hand the bytes over). Throws NetlinkError.
 */
export function dumpRaw(targets: DumpTarget[] = ALL_TARGETS, reuse = false, diagFd = -1): RawDump[] {
  const c = libc();
  // A given socket (made in another network namespace, netns.ts) is the caller's to close.
  const fd = diagFd >= 0 ? diagFd : c.socket(C.AF_NETLINK, C.SOCK_RAW | C.SOCK_CLOEXEC, C.NETLINK_SOCK_DIAG);
  if (fd < 0) throw new NetlinkError(c.errno(), `cannot open NETLINK_SOCK_DIAG socket: errno ${c.errno()}`);
  // A reusing caller (the logger's poll) parses the replies before its next dump; the others get
  // their own copies (a worker transfers them).
  const buf = reuse ? (recvBuf ??= Buffer.allocUnsafe(RECV_BUFFER)) : Buffer.allocUnsafe(RECV_BUFFER);
  if (reuse) arena.reset();
  const nladdr = Buffer.alloc(12);
  nladdr.writeUInt16LE(C.AF_NETLINK, 0);
  const out: RawDump[] = [];
  try {
    let seq = 1;
    const queue = tcpBothFamilies ? [...targets] : targets.flatMap((t) => (t.family === 'any' ? TCP_EACH : [t]));
    for (let q = 0; q < queue.length; q++) {
      const t = queue[q];
      const req = buildDumpRequest(t.family === 'IPv4' ? C.AF_INET : t.family === 'IPv6' ? C.AF_INET6 : 0,
        t.protocol === 'TCP' ? C.IPPROTO_TCP : C.IPPROTO_UDP, seq++);
      if (c.sendto(fd, req, req.length, 0, nladdr, nladdr.length) < 0) {
        throw new NetlinkError(c.errno(), `sock_diag request failed: errno ${c.errno()}`);
      }
      const dump: RawDump = { protocol: t.protocol, replies: [] };
      out.push(dump);
      for (;;) {
        const n = c.recv(fd, buf, RECV_BUFFER, 0);
        if (n < 0) {
          const e = c.errno();
          if (e === C.EINTR) continue;
          throw new NetlinkError(e, `sock_diag receive failed: errno ${e}`);
        }
        if (n === 0) break;
        if (t.family === 'any' && dump.replies.length === 0 && refused(buf, n)) {
          // No compatibility request in this kernel: dump each family instead, from now on.
          tcpBothFamilies = false;
          out.pop();
          queue.splice(q + 1, 0, ...TCP_EACH);
          break;
        }
        dump.replies.push(reuse ? arena.copy(buf, n) : new Uint8Array(buf.subarray(0, n)));
        // The last reply of a dump ends with NLMSG_DONE (or an error), which the parser checks.
        if (endsDump(buf, n)) break;
      }
    }
  } finally {
    if (diagFd < 0) c.close(fd);
  }
  return out;
}

/** True when the reply is one NLMSG_ERROR with an error (the request itself was refused). */
function refused(buf: Buffer, n: number): boolean {
  return n >= 20 && buf.readUInt16LE(4) === 2 && buf.readInt32LE(16) < 0;
}

/** True when the reply's last message is NLMSG_DONE or NLMSG_ERROR. */
function endsDump(buf: Buffer, n: number): boolean {
  let off = 0;
  let last = 0;
  while (off + 16 <= n) {
    const len = buf.readUInt32LE(off);
    if (len < 16) break;
    last = buf.readUInt16LE(off + 4);
    off += (len + 3) & ~3;
  }
  return last === 3 || last === 2;
}

/**
 * Parse raw dump replies into sockets (those `skip` does not rule out). Throws NetlinkError when
 * the kernel reported one.
 */
export function parseDumpReplies(dumps: RawDump[], skip?: SkipKnown): RawSocket[] {
  const out: RawSocket[] = [];
  for (const d of dumps) {
    for (const r of d.replies) {
      const b = Buffer.from(r.buffer, r.byteOffset, r.byteLength);
      const res = parseDiagMessages(b, b.length, d.protocol, skip);
      for (const s of res.sockets) out.push(s);
      if (res.done) break;
    }
  }
  return out;
}

/** Dump and parse the sockets of the calling process's network namespace. Throws NetlinkError. */
export function dumpSockets(targets: DumpTarget[] = ALL_TARGETS): RawSocket[] {
  return parseDumpReplies(dumpRaw(targets));
}
