/**
 * Parsers for /proc/<pid>/{stat,status,cgroup,maps,cmdline} and /etc/passwd. Each takes the file's
 * content, so tests feed literal procfs text.
 */
import { decodeBytes } from '../../util/bytes.js';

export interface StatFields {
  comm: string;
  ppid: number;
  /** Start time in clock ticks since boot. */
  startTicks: number;
}

/** /proc/<pid>/stat: comm sits between the first '(' and the LAST ')' (it may contain ')' itself). */
export function parseStat(buf: Uint8Array): StatFields | null {
  const open = buf.indexOf(0x28);
  const close = buf.lastIndexOf(0x29);
  if (open < 0 || close < open) return null;
  const comm = decodeBytes(buf.subarray(open + 1, close));
  const rest = Buffer.from(buf.subarray(close + 2)).toString('latin1').split(' ');
  // rest[0] is field 3 (state); ppid is field 4, starttime field 22.
  const ppid = Number(rest[1]);
  const startTicks = Number(rest[19]);
  if (!Number.isFinite(ppid) || !Number.isFinite(startTicks)) return null;
  return { comm, ppid, startTicks };
}

export interface StatusFields {
  realUid: number;
  effectiveUid: number;
}

/** /proc/<pid>/status: the Uid line holds real, effective, saved and filesystem uids. */
export function parseStatus(text: string): StatusFields | null {
  const m = /^Uid:\s+(\d+)\s+(\d+)/m.exec(text);
  return m ? { realUid: Number(m[1]), effectiveUid: Number(m[2]) } : null;
}

/** /proc/<pid>/cgroup: the cgroup v2 path ("0::/path"), else systemd's v1 hierarchy, else the first. */
export function parseCgroup(text: string): string | null {
  let v1: string | null = null;
  let first: string | null = null;
  for (const line of text.split('\n')) {
    const a = line.indexOf(':');
    const b = line.indexOf(':', a + 1);
    if (a < 0 || b < 0) continue;
    const id = line.slice(0, a);
    const ctrl = line.slice(a + 1, b);
    const path = line.slice(b + 1);
    if (id === '0' && ctrl === '') return path;
    if (ctrl === 'name=systemd') v1 = path;
    first ??= path;
  }
  return v1 ?? first;
}

export interface UnitInfo {
  unit: string | null;
  isService: boolean;
}

/**
 * The systemd unit a cgroup path belongs to: the innermost *.service (else *.scope) segment.
 * IsService: a .service unit of the system manager (not under user.slice, not a user@ manager).
 */
export function unitFromCgroup(path: string | null): UnitInfo {
  if (!path) return { unit: null, isService: false };
  const segs = path.split('/').filter((s) => s !== '');
  let unit: string | null = null;
  for (let i = segs.length - 1; i >= 0 && !unit; i--) if (segs[i].endsWith('.service')) unit = segs[i];
  for (let i = segs.length - 1; i >= 0 && !unit; i--) if (segs[i].endsWith('.scope')) unit = segs[i];
  const isService = unit !== null && unit.endsWith('.service') && !segs.includes('user.slice') && !unit.startsWith('user@');
  return { unit, isService };
}

/** /proc/<pid>/cmdline: NUL-separated argv, joined with spaces as ps shows it. */
/** The kernel keeps a process's name (comm) to TASK_COMM_LEN - 1 bytes. */
const COMM_MAX = 15;

/**
 * The name Get-Process shows for a process (what .NET's Process.ProcessName reads on Linux): its
 * comm, unless comm was cut at 15 bytes and the file name of argv[0] starts with it, then that
 * file name. So `python3` for a python3 started as python3 (whatever python3.11 the link leads
 * to), `averyveryverylongname` in full, and a kernel thread's own name.
 */
export function processName(comm: string, cmdline: Uint8Array | null): string {
  if (Buffer.byteLength(comm) < COMM_MAX || !cmdline || cmdline.length === 0) return comm;
  const nul = cmdline.indexOf(0);
  const argv0 = decodeBytes(Buffer.from(cmdline.subarray(0, nul < 0 ? cmdline.length : nul)));
  const file = argv0.slice(argv0.lastIndexOf('/') + 1);
  return file.startsWith(comm) ? file : comm;
}

export function parseCmdline(buf: Uint8Array): string | null {
  let end = buf.length;
  while (end > 0 && buf[end - 1] === 0) end--;
  if (end === 0) return null;
  const copy = Buffer.from(buf.subarray(0, end));
  for (let i = 0; i < copy.length; i++) if (copy[i] === 0) copy[i] = 0x20;
  return decodeBytes(copy);
}

/**
 * /proc/<pid>/maps: the files mapped executable (the program and its shared objects), unique, in
 * load order. A " (deleted)" suffix is kept: code run from a deleted file is worth seeing.
 * The kernel writes a newline in a path as the four characters \012, so a path holding \012 is
 * ambiguous (a newline, or those four characters): such entries come with `range` (the mapping's
 * start-end, as /proc/<pid>/map_files names it) for the caller to read the exact path there.
 */
export interface MapsEntry { path: string; range: string | null }

const ESCAPED_NL = Buffer.from('\\012');

export function parseMaps(buf: Uint8Array): MapsEntry[] {
  const seen = new Map<string, MapsEntry>();
  let start = 0;
  while (start < buf.length) {
    let nl = buf.indexOf(0x0a, start);
    if (nl < 0) nl = buf.length;
    const line = buf.subarray(start, nl);
    start = nl + 1;
    // address perms offset dev inode pathname; perms is the second field, e.g. r-xp
    const sp = line.indexOf(0x20);
    if (sp < 0 || line[sp + 3] !== 0x78) continue; // 'x'
    const slash = line.indexOf(0x2f, sp);
    if (slash < 0) continue;
    const raw = line.subarray(slash);
    const path = decodeBytes(raw);
    if (seen.has(path)) continue;
    let range: string | null = null;
    if (Buffer.from(raw).includes(ESCAPED_NL)) {
      const [a, b] = Buffer.from(line.subarray(0, sp)).toString('latin1').split('-');
      range = `${BigInt(`0x${a}`).toString(16)}-${BigInt(`0x${b}`).toString(16)}`;
    }
    seen.set(path, { path, range });
  }
  return [...seen.values()];
}

/** /etc/passwd text → uid → user name. */
export function parsePasswd(text: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 3) continue;
    const uid = Number(f[2]);
    if (Number.isInteger(uid) && !m.has(uid)) m.set(uid, f[0]);
  }
  return m;
}

/** /proc/stat: boot time in seconds since the epoch. */
export function parseBootTime(text: string): number | null {
  const m = /^btime\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : null;
}
