/**
 * Connect-time events (eBPF): who connected, sent from or bound each socket, recorded by the
 * kernel in the acting process's context and keyed by the socket cookie that sock_diag dumps and
 * destroy events carry. The program (bpf/program.ts) is assembled at run time and attached as
 * cgroup links on the cgroup v2 root, so it covers every process of every network namespace;
 * the links, maps and program are file descriptors, and the kernel detaches and frees them when
 * they close or this process dies. Needs root (CAP_BPF and CAP_NET_ADMIN) and cgroup v2.
 * docs/attribution.md says why this source and not audit or tracepoints.
 */
import { readFileSync } from 'node:fs';
import { BPF, BpfError, Mapping, linkCreate, mapCreate, mapLookup, progLoad } from '../../../native/linux/bpf.js';
import { C, libc } from '../../../native/linux/libc.js';
import { openDirNoFollow } from '../../util/nofollow.js';
import { HOOKS, type Hook, RECORD, connectProgram } from './bpf/program.js';
import { RingReader } from './bpf/ringbuf.js';
import { u64ToString } from './inetdiag.js';

export interface ConnectRecord {
  cookie: string;
  pid: number;
  tid: number;
  uid: number;
  gid: number;
  /** The task's command name as the kernel holds it (at most 15 bytes, any bytes). */
  comm: Buffer;
  netnsCookie: string;
  /** When the call was made (from the kernel's monotonic clock). */
  time: Date;
  hook: Hook;
  protocol: 'TCP' | 'UDP' | null;
}

const ATTACH: Record<Hook, number> = {
  connect4: BPF.CGROUP_INET4_CONNECT, connect6: BPF.CGROUP_INET6_CONNECT,
  sendmsg4: BPF.CGROUP_UDP4_SENDMSG, sendmsg6: BPF.CGROUP_UDP6_SENDMSG,
  bind4: BPF.CGROUP_INET4_BIND, bind6: BPF.CGROUP_INET6_BIND,
};

/** The cgroup v2 mount point from mountinfo text (unified or hybrid layout), else null. */
export function cgroup2Mount(mountinfo: string): string | null {
  for (const line of mountinfo.split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0 || !line.startsWith('cgroup2 ', dash + 3)) continue;
    const f = line.slice(0, dash).split(' ');
    if (f[3] !== '/') continue; // a bind mount of a sub-cgroup would cover only part of the tree
    return f[4].replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  }
  return null;
}

/** Wall time minus the monotonic clock (ms), measured when opened: a record's time is its monotonic time plus this. */
function monotonicToWallMs(): number {
  return Date.now() - Number(process.hrtime.bigint()) / 1e6;
}

/** The least time between two wake-ups of the reader (watch()). */
const WAKE_GAP_MS = 2;

export interface ConnectEventsOptions {
  /** Ring buffer bytes (a power of two, at least a page): 4 MiB holds 65,536 records. */
  ringBytes?: number;
  /** Sockets remembered as reported (LRU); one record per socket while it is remembered. */
  seenEntries?: number;
}

export class ConnectEvents {
  private fds: number[] = [];
  private maps: Mapping[] = [];
  private ring!: RingReader;
  private ringFd = -1;
  private lostFd = -1;
  private epfd = -1;
  private wakeFd = -1;
  private waiting = false;
  private offsetMs = monotonicToWallMs();
  readonly cgroup: string;

  private constructor(cgroup: string) { this.cgroup = cgroup; }

  /** Load, attach and map. Throws BpfError (or an Error naming what is missing) when unavailable. */
  static open(opts: ConnectEventsOptions = {}): ConnectEvents {
    const mount = cgroup2Mount(readFileSync('/proc/self/mountinfo', 'utf8'));
    if (!mount) throw new BpfError(2, 'no cgroup v2 hierarchy is mounted (the connect-time hooks attach to one)');
    const ev = new ConnectEvents(mount);
    try {
      ev.attach(opts);
    } catch (e) {
      ev.close();
      throw e;
    }
    return ev;
  }

  private keep(fd: number): number { this.fds.push(fd); return fd; }

  private attach(opts: ConnectEventsOptions): void {
    const page = libc().sysconf(30 /* _SC_PAGESIZE */);
    const ringBytes = Math.max(page, opts.ringBytes ?? 4 << 20);
    const seen = this.keep(mapCreate(BPF.MAP_TYPE_LRU_HASH, 8, 4, opts.seenEntries ?? 65536, 'pr_seen'));
    this.ringFd = this.keep(mapCreate(BPF.MAP_TYPE_RINGBUF, 0, 0, ringBytes, 'pr_events'));
    this.lostFd = this.keep(mapCreate(BPF.MAP_TYPE_ARRAY, 4, 8, 1, 'pr_lost'));
    const cg = openDirNoFollow(this.cgroup, false, 'cgroup').fd;
    this.fds.push(cg);
    for (const hook of HOOKS) {
      const prog = this.keep(progLoad(BPF.PROG_TYPE_CGROUP_SOCK_ADDR, ATTACH[hook], connectProgram({ seen, events: this.ringFd, lost: this.lostFd }, hook), `pr_${hook}`));
      this.keep(linkCreate(prog, cg, ATTACH[hook]));
    }
    const consumer = Mapping.open(this.ringFd, page, 0, true);
    this.maps.push(consumer);
    const producer = Mapping.open(this.ringFd, page + 2 * ringBytes, page, false);
    this.maps.push(producer);
    this.ring = new RingReader(consumer.view, producer.view, page, ringBytes);
  }

  /** Every record written since the last read (never blocks). */
  read(): ConnectRecord[] {
    const out: ConnectRecord[] = [];
    if (this.ringFd < 0) return out;
    this.ring.read((d) => out.push(this.decode(d)));
    return out;
  }

  private decode(d: DataView): ConnectRecord {
    const u64 = (off: number) => u64ToString(d.getUint32(off + 4, true), d.getUint32(off, true));
    const comm = Buffer.from(d.buffer, d.byteOffset + RECORD.comm, RECORD.commLen);
    const end = comm.indexOf(0);
    const proto = d.getUint32(RECORD.protocol, true);
    const ktimeMs = (d.getUint32(RECORD.ktimeNs + 4, true) * 4294967296 + d.getUint32(RECORD.ktimeNs, true)) / 1e6;
    return {
      cookie: u64(RECORD.cookie),
      tid: d.getUint32(RECORD.pidTgid, true),
      pid: d.getUint32(RECORD.pidTgid + 4, true),
      uid: d.getUint32(RECORD.uidGid, true),
      gid: d.getUint32(RECORD.uidGid + 4, true),
      comm: Buffer.from(comm.subarray(0, end < 0 ? comm.length : end)),
      netnsCookie: u64(RECORD.netns),
      time: new Date(Math.round(ktimeMs + this.offsetMs)),
      hook: HOOKS[d.getUint32(RECORD.hook, true)] ?? 'connect4',
      protocol: proto === C.IPPROTO_TCP ? 'TCP' : proto === C.IPPROTO_UDP ? 'UDP' : null,
    };
  }

  /** Records the ring buffer had no room for, since the start. */
  lost(): number {
    const v = Buffer.alloc(8);
    return this.lostFd >= 0 && mapLookup(this.lostFd, Buffer.alloc(4), v) ? Number(v.readBigUInt64LE()) : 0;
  }

  /**
   * Call `ready` soon after records arrive (an epoll wait on a worker thread, so the event loop
   * stays free), until close(). Lets the caller read a short-lived process's /proc entry before it
   * exits.
   */
  watch(ready: () => void): void {
    const c = libc();
    this.epfd = c.epoll_create1(C.O_CLOEXEC);
    this.wakeFd = c.eventfd(0, C.O_CLOEXEC | C.O_NONBLOCK);
    // struct epoll_event is packed on x86-64 (12 bytes), naturally aligned elsewhere (16).
    const size = process.arch === 'x64' ? 12 : 16;
    for (const fd of [this.ringFd, this.wakeFd]) {
      const ev = Buffer.alloc(size);
      ev.writeUInt32LE(1 /* EPOLLIN */, 0);
      if (fd < 0 || this.epfd < 0 || c.epoll_ctl(this.epfd, 1 /* EPOLL_CTL_ADD */, fd, ev) < 0) {
        const e = c.errno();
        this.closeWait();
        throw new BpfError(e, `watching the ring buffer: errno ${e}`);
      }
    }
    const evs = Buffer.alloc(size * 2);
    const loop = () => {
      if (this.ringFd < 0) { this.closeWait(); return; }
      this.waiting = true;
      c.epoll_wait.async(this.epfd, evs, 2, -1, (_err, n) => {
        this.waiting = false;
        if (this.ringFd < 0) { this.closeWait(); return; }
        if (n > 0) ready();
        // A short gap before the next wait gathers the records of busy moments into one wake-up
        // (each costs a thread hop); a failed wait (EINTR) is retried after a pause.
        setTimeout(loop, n > 0 ? WAKE_GAP_MS : 100).unref();
      });
    };
    loop();
  }

  /** Detach everything now: no program runs after this returns. A pending wait is woken and ends. */
  close(): void {
    for (const m of this.maps) m.close();
    this.maps = [];
    const c = libc();
    for (const fd of this.fds.reverse()) c.close(fd);
    this.fds = [];
    this.ringFd = -1;
    this.lostFd = -1;
    if (!this.waiting) { this.closeWait(); return; }
    const one = Buffer.alloc(8);
    one.writeBigUInt64LE(1n);
    c.write(this.wakeFd, one, 8);
  }

  private closeWait(): void {
    const c = libc();
    if (this.epfd >= 0) c.close(this.epfd);
    if (this.wakeFd >= 0) c.close(this.wakeFd);
    this.epfd = this.wakeFd = -1;
  }
}
