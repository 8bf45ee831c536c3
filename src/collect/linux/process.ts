/** Process context for a pid, read from /proc/<pid>/*. */
import { readFileSync, readlinkSync } from 'node:fs';
import type { ProcessInfo } from '../../model/record.js';
import { decodeBytes } from '../../util/bytes.js';
import { libc, C } from '../../../native/linux/libc.js';
import { parseBootTime, parseCgroup, parseCmdline, parseMaps, parseStat, parseStatus, processName, unitFromCgroup } from './procparse.js';
import { UserResolver } from './users.js';
import { FileHashCache } from '../filehash.js';
import { containerFields } from './containername.js';

export interface ProcessReadOptions {
  includeModules: boolean;
  includeHash: boolean;
}

/** Shared state for one snapshot (or a long-running logger): clock, users, hash cache. */
export class ProcessReader {
  readonly users = new UserResolver();
  private hashes = new FileHashCache();
  private bootTime: number | null;
  private clkTck: number;

  constructor(private procRoot = '/proc') {
    try { this.bootTime = parseBootTime(readFileSync(`${procRoot}/stat`, 'latin1')); } catch { this.bootTime = null; }
    let t = 100;
    try { t = libc().sysconf(C._SC_CLK_TCK); } catch { /* keep Linux's usual 100 */ }
    this.clkTck = t > 0 ? t : 100;
  }

  /** Start time (ISO) of a pid, from /proc/<pid>/stat alone: with the pid, it names one process. */
  startTime(pid: number): string | null {
    try {
      const st = parseStat(readFileSync(`${this.procRoot}/${pid}/stat`));
      return st && this.bootTime !== null ? new Date((this.bootTime + st.startTicks / this.clkTck) * 1000).toISOString() : null;
    } catch { return null; }
  }

  /** The executable of a pid now (null when it has gone or cannot be read). */
  executable(pid: number): string | null {
    return tryLink(`${this.procRoot}/${pid}/exe`);
  }

  /** The executable mappings of a process now (null when it has gone). */
  modules(pid: number): string[] | null {
    return readModules(`${this.procRoot}/${pid}`);
  }

  /** Read one process; null when it has gone. Throws nothing: unreadable parts stay null. */
  read(pid: number, opts: ProcessReadOptions): ProcessInfo | null {
    const dir = `${this.procRoot}/${pid}`;
    let statBuf: Buffer;
    try { statBuf = readFileSync(`${dir}/stat`); } catch { return null; }
    const stat = parseStat(statBuf);
    if (!stat) return null;
    const exe = tryLink(`${dir}/exe`);
    const status = tryText(`${dir}/status`);
    const uids = status ? parseStatus(status) : null;
    const cgroup = parseCgroup(tryText(`${dir}/cgroup`) ?? '');
    const unit = unitFromCgroup(cgroup);
    const container = containerFields(cgroup);
    const cmd = tryBuf(`${dir}/cmdline`);
    const uid = uids ? uids.effectiveUid : null;
    const started = this.bootTime !== null ? new Date((this.bootTime + stat.startTicks / this.clkTck) * 1000) : null;
    return {
      ProcessId: pid,
      ProcessName: processName(stat.comm, cmd),
      ExecutablePath: exe,
      CommandLine: cmd ? parseCmdline(cmd) : null,
      ParentProcessId: stat.ppid,
      ProcessStartTime: started ? started.toISOString() : null,
      UserName: uid !== null ? this.users.name(uid) : null,
      UserId: uid !== null ? String(uid) : null,
      ServiceName: unit.unit,
      IsService: unit.isService,
      Modules: opts.includeModules ? readModules(dir) : null,
      ExecutableSha256: opts.includeHash && exe ? this.hash(`${dir}/exe`) : null,
      CgroupPath: cgroup,
      NetNamespace: tryLink(`${dir}/ns/net`),
      ContainerId: container.ContainerId,
      ContainerName: container.ContainerName,
    };
  }

  /** SHA-256 of the file behind a path, cached by file identity (collect/filehash.ts). */
  hash(path: string): string | null {
    return this.hashes.hash(path);
  }
}

/**
 * Loaded modules from maps; a path the kernel escaped ambiguously (\\012) is read exactly from
 * map_files (root), and marked " (inexact)" when it cannot be.
 */
function readModules(dir: string): string[] | null {
  const maps = tryBuf(`${dir}/maps`);
  if (!maps) return null;
  return parseMaps(maps).map((m) => (m.range === null ? m.path : tryLink(`${dir}/map_files/${m.range}`) ?? `${m.path} (inexact)`));
}

function tryLink(path: string): string | null {
  try { return decodeBytes(readlinkSync(path, { encoding: 'buffer' })); } catch { return null; }
}

function tryBuf(path: string): Buffer | null {
  try { return readFileSync(path); } catch { return null; }
}

function tryText(path: string): string | null {
  try { return readFileSync(path, 'latin1'); } catch { return null; }
}
