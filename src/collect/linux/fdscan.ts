/**
 * Socket ownership: which process holds which socket inode, from the links in /proc/<pid>/fd.
 * This dominates a snapshot's cost (one readlink per open fd), so it uses readlinkat() on an open
 * /proc/<pid>/fd directory (no per-fd path walk through /proc/<pid>) and stops as soon as every
 * wanted inode has an owner.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { C, libc, type Libc } from '../../../native/linux/libc.js';

export interface FdScanResult {
  /** socket inode → pid of the first (lowest) pid holding it. */
  owners: Map<number, number>;
  /** Processes whose fd table could not be read (not root, or a hardened /proc). */
  deniedPids: number;
  scannedPids: number;
  scannedFds: number;
}

/** Parse "socket:[12345]" from the first len bytes of buf; -1 when it is not a socket link. */
export function socketInode(buf: Uint8Array, len: number): number {
  // 's' 'o' 'c' 'k' 'e' 't' ':' '['
  if (len < 10 || buf[0] !== 0x73 || buf[6] !== 0x3a || buf[7] !== 0x5b || buf[1] !== 0x6f) return -1;
  let n = 0;
  for (let i = 8; i < len; i++) {
    const d = buf[i];
    if (d === 0x5d) return n;
    if (d < 0x30 || d > 0x39) return -1;
    n = n * 10 + (d - 0x30);
  }
  return -1;
}

/** Numeric entries of a /proc-like directory, ascending. */
export function listPids(procRoot: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync(procRoot)) {
    const c = name.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39) pids.push(Number(name));
  }
  return pids.sort((a, b) => a - b);
}

/** Scans the fd tables of single pids into a shared result. */
export class PidScanner {
  readonly res: FdScanResult = { owners: new Map(), deniedPids: 0, scannedPids: 0, scannedFds: 0 };
  private lib: Libc | null = null;
  private buf = Buffer.allocUnsafe(64);
  private remaining: number;

  /** wanted: the socket inodes to find (null: all). procRoot other than /proc (tests) uses plain fs calls. */
  constructor(private wanted: Set<number> | null, private procRoot = '/proc') {
    if (procRoot === '/proc') {
      try { this.lib = libc(); } catch { this.lib = null; }
    }
    this.remaining = wanted ? wanted.size : Infinity;
  }

  /** True once every wanted inode has an owner. */
  get complete(): boolean {
    return this.remaining <= 0;
  }

  scan(pid: number): void {
    const res = this.res;
    const dir = `${this.procRoot}/${pid}/fd`;
    let fds: string[];
    try {
      fds = readdirSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') res.deniedPids++;
      return; // ENOENT: the process exited meanwhile
    }
    res.scannedPids++;
    const lib = this.lib;
    const buf = this.buf;
    const dfd = lib ? lib.open(dir, C.O_RDONLY | C.O_DIRECTORY | C.O_CLOEXEC) : -1;
    try {
      for (const fd of fds) {
        res.scannedFds++;
        let inode: number;
        if (dfd >= 0) {
          const n = lib!.readlinkat(dfd, fd, buf, buf.length);
          if (n <= 0) continue;
          inode = socketInode(buf, n);
        } else {
          let link: string;
          try { link = readlinkSync(`${dir}/${fd}`); } catch { continue; }
          inode = socketInode(Buffer.from(link, 'latin1'), link.length);
        }
        if (inode <= 0 || res.owners.has(inode)) continue;
        if (this.wanted && !this.wanted.has(inode)) continue;
        res.owners.set(inode, pid);
        if (--this.remaining === 0) return;
      }
    } finally {
      if (dfd >= 0) lib!.close(dfd);
    }
  }
}

/** Find the owners of `wanted` socket inodes (all when null), stopping once all are found. */
export function scanSocketOwners(wanted: Set<number> | null, procRoot = '/proc'): FdScanResult {
  const sc = new PidScanner(wanted, procRoot);
  if (wanted && wanted.size === 0) return sc.res;
  for (const pid of listPids(procRoot)) {
    sc.scan(pid);
    if (sc.complete) break;
  }
  return sc.res;
}

/** Merge another scan into `into`; an inode held by several processes goes to the lowest pid. */
export function mergeScan(into: FdScanResult, other: { pairs: Float64Array; deniedPids: number; scannedPids: number; scannedFds: number }): void {
  for (let i = 0; i < other.pairs.length; i += 2) {
    const inode = other.pairs[i];
    const pid = other.pairs[i + 1];
    const cur = into.owners.get(inode);
    if (cur === undefined || pid < cur) into.owners.set(inode, pid);
  }
  into.deniedPids += other.deniedPids;
  into.scannedPids += other.scannedPids;
  into.scannedFds += other.scannedFds;
}
