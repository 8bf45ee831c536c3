/**
 * Owners for the logger, cheaply: socket inode → pid is cached, and /proc/<pid>/fd is scanned only
 * for inodes not yet known (stopping once all are found; pids that owned sockets before go first).
 * Process details are read once per process (pid + start time); new ones are reported.
 */
import type { ConnectionRecord, OwnerStatus, ProcessInfo, RawSocket } from '../model/record.js';
import { listPids, PidScanner } from '../collect/linux/fdscan.js';
import type { ProcessReader } from '../collect/linux/process.js';

export class OwnerCache {
  private inodes = new Map<number, number>();
  private procs = new Map<number, ProcessInfo>();
  scans = 0;

  constructor(private reader: ProcessReader, private includeHash: boolean, private onNewProcess: (p: ProcessInfo) => void) {}

  /**
   * Take the initial snapshot's owners and their processes (context, modules, hash), so neither
   * is scanned or read a second time; each process is announced once, as a new process.
   */
  seed(records: Iterable<ConnectionRecord>): void {
    for (const r of records) {
      if (r.ProcessId === null) continue;
      if (r.Linux && r.Linux.Inode !== 0) this.inodes.set(r.Linux.Inode, r.ProcessId);
      const known = this.procs.get(r.ProcessId);
      if (known && known.ProcessStartTime === r.ProcessStartTime) continue;
      const p: ProcessInfo = {
        ProcessId: r.ProcessId, ProcessName: r.ProcessName ?? '', ExecutablePath: r.ExecutablePath, CommandLine: r.CommandLine,
        ParentProcessId: r.ParentProcessId, ProcessStartTime: r.ProcessStartTime, UserName: r.UserName, UserId: r.UserId,
        ServiceName: r.ServiceName, IsService: r.IsService, Modules: r.Modules, ExecutableSha256: r.ExecutableSha256,
        CgroupPath: r.Linux?.CgroupPath ?? null, NetNamespace: r.Linux?.NetNamespace ?? null,
        ContainerId: r.Linux?.ContainerId ?? null, ContainerName: r.Linux?.ContainerName ?? null,
      };
      this.procs.set(p.ProcessId, p);
      this.onNewProcess(p);
    }
  }

  /** Find the owners of these inodes (those not cached) with one scan. */
  resolve(inodes: Iterable<number>): void {
    const wanted = new Set<number>();
    for (const i of inodes) if (i !== 0 && !this.inodes.has(i)) wanted.add(i);
    if (wanted.size === 0) return;
    this.scans++;
    const sc = new PidScanner(wanted);
    const known = new Set(this.inodes.values());
    // Processes that already own sockets open most new ones: scan them first.
    const order = [...known, ...listPids('/proc').filter((p) => !known.has(p))];
    for (const pid of order) {
      sc.scan(pid);
      if (sc.complete) break;
    }
    for (const [inode, pid] of sc.res.owners) this.inodes.set(inode, pid);
  }

  /** The owner of a socket whose inode was resolved; reads the process if it is new. */
  lookup(s: RawSocket): { owner: ProcessInfo | null; status: OwnerStatus } {
    if (s.inode === 0) return { owner: null, status: 'NoInode' };
    const pid = this.inodes.get(s.inode);
    if (pid === undefined) return { owner: null, status: 'NotFound' };
    const p = this.process(pid);
    if (!p) return { owner: null, status: 'NotFound' };
    return { owner: p, status: 'Known' };
  }

  /**
   * The process with this pid now (read once per pid + start time, announced when new); null when
   * it has gone, or when it started after `before` (the pid was reused since).
   */
  process(pid: number, before?: Date): ProcessInfo | null {
    const started = this.reader.startTime(pid);
    if (started === null || (before && Date.parse(started) > before.getTime())) return null;
    let p = this.procs.get(pid);
    if (!p || p.ProcessStartTime !== started) {
      const fresh = this.reader.read(pid, { includeModules: true, includeHash: this.includeHash });
      if (!fresh) return null;
      p = fresh;
      this.procs.set(pid, p);
      this.onNewProcess(p);
    }
    return p;
  }

  /** Drop a closed socket's inode (inode numbers are reused). */
  forget(inode: number): void {
    this.inodes.delete(inode);
  }

  /** Processes whose loaded modules changed since they were logged (updates the cache). */
  changedModules(pids: Iterable<number>): ProcessInfo[] {
    const out: ProcessInfo[] = [];
    for (const pid of new Set(pids)) {
      const p = this.procs.get(pid);
      if (!p || !p.Modules) continue;
      const now = this.reader.modules(pid);
      if (!now || this.reader.startTime(pid) !== p.ProcessStartTime) continue;
      if (now.join('\n') !== p.Modules.join('\n')) {
        p.Modules = now;
        out.push(p);
      }
    }
    return out;
  }
}
