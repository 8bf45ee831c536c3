/**
 * The native boundary on Linux: every libc function PortReport calls, declared once through koffi.
 * libc is loaded by absolute path (never by a bare name a library search path could redirect).
 */
import { existsSync } from 'node:fs';
import koffi from 'koffi';

const LIBC_CANDIDATES = [
  '/lib/x86_64-linux-gnu/libc.so.6',
  '/usr/lib/x86_64-linux-gnu/libc.so.6',
  '/lib/aarch64-linux-gnu/libc.so.6',
  '/usr/lib/aarch64-linux-gnu/libc.so.6',
  '/lib64/libc.so.6',
  '/usr/lib64/libc.so.6',
  '/lib/libc.so.6',
];

export class NativeUnavailableError extends Error {
  readonly code = 'PR_NATIVE_UNAVAILABLE';
}

export interface Libc {
  path: string;
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, addr: Buffer, len: number): number;
  sendto(fd: number, buf: Buffer, len: number, flags: number, addr: Buffer, alen: number): number;
  recv(fd: number, buf: Buffer, len: number, flags: number): number;
  setsockopt(fd: number, level: number, name: number, val: Buffer, len: number): number;
  close(fd: number): number;
  open(path: string, flags: number): number;
  readlinkat(dirfd: number, path: string, buf: Buffer, size: number): number;
  /** openat(2) with a mode (variadic in C). */
  openat(dirfd: number, path: string, flags: number, mode: number): number;
  unlinkat(dirfd: number, path: string, flags: number): number;
  mkdirat(dirfd: number, path: string, mode: number): number;
  renameat(olddirfd: number, oldpath: string, newdirfd: number, newpath: string): number;
  /** flock(2): an advisory lock the kernel drops when the descriptor closes (or the process dies). */
  flock(fd: number, op: number): number;
  fchmod(fd: number, mode: number): number;
  sysconf(name: number): number;
  /** fcntl(2) with an int argument (variadic in C). */
  fcntl(fd: number, cmd: number, arg: number): number;
  /** setns(2): move the calling thread into the namespace fd refers to (only ever from a worker thread). */
  setns(fd: number, nstype: number): number;
  /** pipe2(2): fds receives [read end, write end] as two int32s. */
  pipe2(fds: Buffer, flags: number): number;
  /** syscall(2) with up to three int/pointer arguments (bpf(2) has no libc wrapper). */
  syscall3(nr: number, a: number, b: Buffer, c: number): number;
  /** mmap(2); the address, or -1 (MAP_FAILED) as a bigint. */
  mmap(addr: null, len: number, prot: number, flags: number, fd: number, off: number): unknown;
  munmap(addr: unknown, len: number): number;
  epoll_create1(flags: number): number;
  epoll_ctl(epfd: number, op: number, fd: number, ev: Buffer): number;
  /** epoll_wait(2); `.async` runs it on a worker thread, so waiting never blocks the event loop. */
  epoll_wait: { (epfd: number, evs: Buffer, max: number, timeoutMs: number): number; async(epfd: number, evs: Buffer, max: number, timeoutMs: number, cb: (err: unknown, n: number) => void): void };
  eventfd(initval: number, flags: number): number;
  write(fd: number, buf: Buffer, len: number): number;
  getpwuid_r(uid: number, pwd: Record<string, unknown>, buf: Buffer, size: number, result: unknown[]): number;
  errno(): number;
}

let cached: Libc | undefined;

/** Load libc once; throws NativeUnavailableError when no libc is found at a known absolute path. */
export function libc(): Libc {
  if (cached) return cached;
  const path = process.env.PORTREPORT_LIBC ?? LIBC_CANDIDATES.find((p) => existsSync(p));
  if (!path || !path.startsWith('/')) {
    throw new NativeUnavailableError(`libc not found at any known absolute path (${LIBC_CANDIDATES.join(', ')})`);
  }
  let lib: ReturnType<typeof koffi.load>;
  try {
    lib = koffi.load(path);
  } catch (e) {
    throw new NativeUnavailableError(`cannot load libc from ${path}: ${(e as Error).message}`);
  }
  const passwd = koffi.struct('portreport_passwd', {
    pw_name: 'char *', pw_passwd: 'char *', pw_uid: 'uint32', pw_gid: 'uint32',
    pw_gecos: 'char *', pw_dir: 'char *', pw_shell: 'char *',
  });
  cached = {
    path,
    socket: lib.func('int socket(int, int, int)'),
    bind: lib.func('int bind(int, void *, uint32)'),
    sendto: lib.func('long sendto(int, void *, size_t, int, void *, uint32)'),
    recv: lib.func('long recv(int, void *, size_t, int)'),
    setsockopt: lib.func('int setsockopt(int, int, int, void *, uint32)'),
    close: lib.func('int close(int)'),
    open: lib.func('int open(const char *, int)'),
    readlinkat: lib.func('long readlinkat(int, const char *, void *, size_t)'),
    openat: ((f) => (d: number, p: string, fl: number, m: number) => f(d, p, fl, 'uint32', m))(lib.func('int openat(int, const char *, int, ...)')),
    unlinkat: lib.func('int unlinkat(int, const char *, int)'),
    mkdirat: lib.func('int mkdirat(int, const char *, uint32)'),
    renameat: lib.func('int renameat(int, const char *, int, const char *)'),
    flock: lib.func('int flock(int, int)'),
    fchmod: lib.func('int fchmod(int, uint32)'),
    sysconf: lib.func('long sysconf(int)'),
    pipe2: lib.func('int pipe2(void *, int)'),
    setns: lib.func('int setns(int, int)'),
    fcntl: ((f) => (fd: number, cmd: number, arg: number) => f(fd, cmd, 'int', arg))(lib.func('int fcntl(int, int, ...)')),
    syscall3: ((f) => (nr: number, a: number, b: Buffer, c: number) => f(nr, 'long', a, 'void *', b, 'long', c))(lib.func('long syscall(long, ...)')),
    mmap: lib.func('void *mmap(void *, size_t, int, int, int, long)'),
    munmap: lib.func('int munmap(void *, size_t)'),
    epoll_create1: lib.func('int epoll_create1(int)'),
    epoll_ctl: lib.func('int epoll_ctl(int, int, int, void *)'),
    epoll_wait: lib.func('int epoll_wait(int, void *, int, int)'),
    eventfd: lib.func('int eventfd(uint32, int)'),
    write: lib.func('long write(int, void *, size_t)'),
    getpwuid_r: lib.func('getpwuid_r', 'int', ['uint32', koffi.out(koffi.pointer(passwd)), 'void *', 'size_t', koffi.out(koffi.pointer('void *'))]),
    errno: () => koffi.errno(),
  };
  return cached;
}

/** Linux ABI constants used with the functions above. */
export const C = {
  AF_INET: 2,
  AF_INET6: 10,
  AF_NETLINK: 16,
  SOCK_RAW: 3,
  SOCK_CLOEXEC: 0o2000000,
  NETLINK_SOCK_DIAG: 4,
  SOL_SOCKET: 1,
  SOL_NETLINK: 270,
  SO_RCVBUF: 8,
  SO_RCVBUFFORCE: 33,
  NETLINK_ADD_MEMBERSHIP: 1,
  O_RDONLY: 0,
  O_DIRECTORY: 0o200000,
  O_CLOEXEC: 0o2000000,
  O_WRONLY: 1,
  O_CREAT: 0o100,
  O_EXCL: 0o200,
  O_APPEND: 0o2000,
  O_NOFOLLOW: 0o400000,
  O_NONBLOCK: 0o4000,
  O_RDWR: 2,
  LOCK_EX: 2,
  LOCK_NB: 4,
  EWOULDBLOCK: 11,
  ENOENT: 2,
  ENOTDIR: 20,
  MSG_DONTWAIT: 0x40,
  ELOOP: 40,
  EEXIST: 17,
  IPPROTO_TCP: 6,
  IPPROTO_UDP: 17,
  _SC_CLK_TCK: 2,
  CLONE_NEWNET: 0x40000000,
  F_SETPIPE_SZ: 1031,
  F_GETPIPE_SZ: 1032,
  EINTR: 4,
  EAGAIN: 11,
  ENOBUFS: 105,
} as const;
