/**
 * Socket-destroy notifications (sock_diag multicast groups): every TCP and UDP socket that closes,
 * with its 5-tuple, uid, cookie and (TCP) final byte counts, even if it lived between two polls.
 * Needs root. A 64 MiB receive buffer absorbs bursts; when the kernel still drops events (ENOBUFS)
 * the listener reports an overflow, and the caller logs a gap and resynchronises.
 */
import type { RawSocket } from '../../model/record.js';
import { C, libc } from '../../../native/linux/libc.js';
import { NetlinkError, parseDiagMessages } from './inetdiag.js';

/** SKNLGRP_INET_TCP_DESTROY=1, INET_UDP=2, INET6_TCP=3, INET6_UDP=4. Groups 1-2 by bind mask. */
const BIND_GROUPS = 0x3;
const MEMBERSHIPS = [3, 4];

export class DestroyListener {
  private fd = -1;
  private buf = Buffer.allocUnsafe(1 << 20);

  /** Open and subscribe. Throws NetlinkError (e.g. EPERM when not root). */
  open(rcvbuf = 64 << 20): void {
    const c = libc();
    const fd = c.socket(C.AF_NETLINK, C.SOCK_RAW | C.SOCK_CLOEXEC, C.NETLINK_SOCK_DIAG);
    if (fd < 0) throw new NetlinkError(c.errno(), `cannot open NETLINK_SOCK_DIAG socket: errno ${c.errno()}`);
    this.subscribe(fd, rcvbuf);
  }

  /**
   * Subscribe a sock_diag socket made elsewhere (in another network namespace, whose closes it
   * then reports: netns.ts). The listener owns it from here, also when this throws.
   */
  adopt(fd: number, rcvbuf = 16 << 20): void {
    this.subscribe(fd, rcvbuf);
  }

  private subscribe(fd: number, rcvbuf: number): void {
    const c = libc();
    const fail = (what: string): never => {
      const e = c.errno();
      c.close(fd);
      throw new NetlinkError(e, `socket-destroy events: ${what} failed: errno ${e}`);
    };
    const sz = Buffer.alloc(4);
    sz.writeInt32LE(rcvbuf);
    // SO_RCVBUFFORCE needs CAP_NET_ADMIN; fall back to what SO_RCVBUF allows.
    if (c.setsockopt(fd, C.SOL_SOCKET, C.SO_RCVBUFFORCE, sz, 4) < 0) c.setsockopt(fd, C.SOL_SOCKET, C.SO_RCVBUF, sz, 4);
    const addr = Buffer.alloc(12);
    addr.writeUInt16LE(C.AF_NETLINK, 0);
    addr.writeUInt32LE(BIND_GROUPS, 8);
    if (c.bind(fd, addr, 12) < 0) fail('bind to the destroy groups');
    for (const g of MEMBERSHIPS) {
      const v = Buffer.alloc(4);
      v.writeInt32LE(g);
      if (c.setsockopt(fd, C.SOL_NETLINK, C.NETLINK_ADD_MEMBERSHIP, v, 4) < 0) fail(`joining group ${g}`);
    }
    this.fd = fd;
  }

  get isOpen(): boolean {
    return this.fd >= 0;
  }

  /**
   * Read every queued event without blocking. Returns the closed sockets and whether the kernel
   * dropped events since the last drain (ENOBUFS).
   */
  drain(): { closed: RawSocket[]; overflow: boolean } {
    const c = libc();
    const closed: RawSocket[] = [];
    let overflow = false;
    while (this.fd >= 0) {
      const n = c.recv(this.fd, this.buf, this.buf.length, C.MSG_DONTWAIT);
      if (n < 0) {
        const e = c.errno();
        if (e === C.EINTR) continue;
        if (e === C.ENOBUFS) { overflow = true; continue; }
        if (e === C.EAGAIN) break;
        throw new NetlinkError(e, `socket-destroy events: receive failed: errno ${e}`);
      }
      if (n === 0) break;
      for (const s of parseDiagMessages(this.buf, n, 'TCP').sockets) closed.push(s);
    }
    return { closed, overflow };
  }

  close(): void {
    if (this.fd >= 0) libc().close(this.fd);
    this.fd = -1;
  }
}
