/**
 * The native boundary for eBPF: the bpf(2) commands PortReport uses, each building its
 * `union bpf_attr` as the kernel header lays it out (include/uapi/linux/bpf.h), and the ring
 * buffer's shared memory. Every object is a file descriptor: closing it (or the process dying)
 * is what detaches and frees it, so nothing PortReport attaches outlives the logger.
 */
import koffi from 'koffi';
import { libc } from './libc.js';

const SYS_BPF: Record<string, number> = { x64: 321, arm64: 280 };

export const BPF = {
  MAP_CREATE: 0, MAP_LOOKUP_ELEM: 1, PROG_LOAD: 5, LINK_CREATE: 28,
  MAP_TYPE_ARRAY: 2, MAP_TYPE_LRU_HASH: 9, MAP_TYPE_RINGBUF: 27,
  PROG_TYPE_CGROUP_SOCK_ADDR: 18,
  CGROUP_INET4_BIND: 8, CGROUP_INET6_BIND: 9, CGROUP_INET4_CONNECT: 10, CGROUP_INET6_CONNECT: 11,
  CGROUP_UDP4_SENDMSG: 14, CGROUP_UDP6_SENDMSG: 15,
} as const;

export class BpfError extends Error {
  readonly code = 'PR_BPF';
  constructor(readonly errno: number, message: string) { super(message); }
}

const ERRNO_NAMES: Record<number, string> = { 1: 'EPERM', 7: 'E2BIG', 13: 'EACCES', 22: 'EINVAL', 38: 'ENOSYS', 95: 'EOPNOTSUPP', 524: 'ENOTSUPP' };
export const errnoName = (e: number): string => ERRNO_NAMES[e] ?? `errno ${e}`;

function bpf(cmd: number, attr: Buffer, what: string): number {
  const nr = SYS_BPF[process.arch];
  if (nr === undefined) throw new BpfError(38, `${what}: no bpf(2) syscall number for ${process.arch}`);
  const c = libc();
  const r = c.syscall3(nr, cmd, attr, attr.length);
  if (r < 0) { const e = c.errno(); throw new BpfError(e, `${what}: ${errnoName(e)}`); }
  return r;
}

const addr = (b: Buffer): bigint => koffi.address(b);

export function mapCreate(type: number, keySize: number, valueSize: number, maxEntries: number, name: string): number {
  const a = Buffer.alloc(72);
  a.writeUInt32LE(type, 0);
  a.writeUInt32LE(keySize, 4);
  a.writeUInt32LE(valueSize, 8);
  a.writeUInt32LE(maxEntries, 12);
  a.write(name.slice(0, 15), 28, 'latin1'); // map_name[16] after map_flags, inner_map_fd, numa_node
  return bpf(BPF.MAP_CREATE, a, `creating BPF map ${name}`);
}

/** Load a program; on a verifier refusal the error carries the verifier's log. */
export function progLoad(type: number, expectedAttach: number, insns: Buffer, name: string): number {
  const license = Buffer.from('GPL\0');
  const log = Buffer.alloc(64 * 1024);
  const a = Buffer.alloc(72);
  a.writeUInt32LE(type, 0);
  a.writeUInt32LE(insns.length / 8, 4);
  a.writeBigUInt64LE(addr(insns), 8);
  a.writeBigUInt64LE(addr(license), 16);
  a.writeUInt32LE(1, 24); // log_level
  a.writeUInt32LE(log.length, 28);
  a.writeBigUInt64LE(addr(log), 32);
  a.write(name.slice(0, 15), 48, 'latin1');
  a.writeUInt32LE(expectedAttach, 68);
  try {
    // The verifier gives up with EAGAIN when a signal arrives (a profiler's SIGPROF, a timer):
    // tried again a few times, as libbpf does.
    for (let attempt = 1; ; attempt++) {
      try {
        return bpf(BPF.PROG_LOAD, a, `loading BPF program ${name}`);
      } catch (e) {
        if (!(e instanceof BpfError && e.errno === 11 && attempt < 5)) throw e;
      }
    }
  } catch (e) {
    const text = log.toString('latin1', 0, Math.max(0, log.indexOf(0))).trim();
    if (e instanceof BpfError && text) throw new BpfError(e.errno, `${e.message}; verifier: ${text.split('\n').slice(-4).join(' | ')}`);
    throw e;
  }
}

/** Attach a program to a cgroup (a directory fd) as a link: the kernel detaches it when the fd closes. */
export function linkCreate(progFd: number, targetFd: number, attachType: number): number {
  const a = Buffer.alloc(48);
  a.writeUInt32LE(progFd, 0);
  a.writeUInt32LE(targetFd, 4);
  a.writeUInt32LE(attachType, 8);
  return bpf(BPF.LINK_CREATE, a, 'attaching BPF program');
}

/** One element of a map into `value`; false when the key is absent. */
export function mapLookup(mapFd: number, key: Buffer, value: Buffer): boolean {
  const a = Buffer.alloc(32);
  a.writeUInt32LE(mapFd, 0);
  a.writeBigUInt64LE(addr(key), 8);
  a.writeBigUInt64LE(addr(value), 16);
  try { bpf(BPF.MAP_LOOKUP_ELEM, a, 'reading BPF map'); return true; } catch (e) {
    if (e instanceof BpfError && e.errno === 2) return false;
    throw e;
  }
}

const PROT_READ = 1;
const PROT_WRITE = 2;
const MAP_SHARED = 1;
const MAP_FAILED = 0xffffffffffffffffn;

/** A shared mapping of a BPF map's memory (the ring buffer's pages), as an ArrayBuffer view. */
export class Mapping {
  readonly view: ArrayBuffer;
  private ptr: unknown;
  private constructor(ptr: unknown, readonly length: number) {
    this.ptr = ptr;
    this.view = koffi.view(ptr, length);
  }

  static open(fd: number, length: number, offset: number, writable: boolean): Mapping {
    const c = libc();
    const p = c.mmap(null, length, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, fd, offset);
    if (p === null || koffi.address(p) === MAP_FAILED) throw new BpfError(c.errno(), `mapping the ring buffer: errno ${c.errno()}`);
    return new Mapping(p, length);
  }

  close(): void {
    if (this.ptr !== null) libc().munmap(this.ptr, this.length);
    this.ptr = null;
  }
}

/** How many programs are attached to a cgroup at one hook (BPF_PROG_QUERY), for checks and tests. */
export function progQueryCount(cgroupFd: number, attachType: number): number {
  const a = Buffer.alloc(40);
  a.writeUInt32LE(cgroupFd, 0);
  a.writeUInt32LE(attachType, 4);
  bpf(16 /* BPF_PROG_QUERY */, a, 'querying cgroup programs');
  return a.readUInt32LE(24); // prog_cnt
}
