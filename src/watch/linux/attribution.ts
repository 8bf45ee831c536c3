/**
 * Who acted on each socket, from the connect-time events (collect/linux/connects.ts): socket
 * cookie -> the process that connected, sent or bound, read from /proc as soon as the record
 * arrives (so a client that exits a moment later still has its executable), else what the record
 * itself says (pid, command name, uid). The logger asks here for sockets no poll saw, and for
 * sockets whose inode owner a poll could not find. Bounded: the oldest entries go first.
 */
import type { ConnectRecord } from '../../collect/linux/connects.js';
import type { ProcessInfo } from '../../model/record.js';
import { decodeBytes } from '../../util/bytes.js';

export interface Attributed {
  owner: ProcessInfo;
  uid: number;
  /** When the process connected, sent or bound (the connection's first moment). */
  time: Date;
}

export interface ProcessLookup {
  /** The executable of a pid right now (one readlink), null when it has gone. */
  executable(pid: number): string | null;
  /** The process with this pid now, if it started no later than `before` (else the pid was reused). */
  process(pid: number, before: Date): ProcessInfo | null;
  user(uid: number): string | null;
}

/**
 * A process read for a record must have started by the record's time: /proc start times count
 * from the boot time in whole seconds (so they read up to 1 s early) in 10 ms ticks.
 */
const START_SLACK_MS = 20;

export class Attribution {
  private byCookie = new Map<string, Attributed>();
  /** Entries dropped for room (the oldest first). */
  evicted = 0;

  constructor(private lookup: ProcessLookup, private max = 200_000) {}

  get size(): number { return this.byCookie.size; }

  /** Take records: each names its socket's actor, read now while the process is likely alive. */
  add(records: ConnectRecord[]): void {
    // The executables first, one readlink each: a process that exits a moment after its connect
    // is most often still there for this, and gone by the time its other files are read.
    const exes = new Map<number, string | null>();
    for (const r of records) if (!exes.has(r.pid)) exes.set(r.pid, this.lookup.executable(r.pid));
    // One read per process a batch: records come in time order, so the first one's check holds for the rest.
    const procs = new Map<number, ProcessInfo | null>();
    for (const r of records) {
      let live = procs.get(r.pid);
      if (live === undefined) {
        live = this.lookup.process(r.pid, new Date(r.time.getTime() + START_SLACK_MS));
        procs.set(r.pid, live);
      }
      const owner = complete(live ?? fromRecord(r, this.lookup.user(r.uid)), r, exes.get(r.pid) ?? null, this.lookup);
      if (this.byCookie.size >= this.max) {
        const oldest = this.byCookie.keys().next().value as string;
        this.byCookie.delete(oldest);
        this.evicted++;
      }
      this.byCookie.set(r.cookie, { owner, uid: r.uid, time: r.time });
    }
  }

  /** The actor of a socket, by its cookie; the entry stays until forget(). */
  get(cookie: string | null): Attributed | null {
    if (cookie === null) return null;
    return this.byCookie.get(cookie) ?? null;
  }

  forget(cookie: string | null): void {
    if (cookie !== null) this.byCookie.delete(cookie);
  }
}

/**
 * What the record knows and a process read as it exited lacks: its uid (the kernel's, at the
 * call) and the executable read a moment before. A copy; the cached process is not changed.
 */
function complete(p: ProcessInfo, r: ConnectRecord, exe: string | null, lookup: ProcessLookup): ProcessInfo {
  if (p.UserId !== null && (p.ExecutablePath !== null || exe === null)) return p;
  const q = { ...p };
  if (q.UserId === null) { q.UserId = String(r.uid); q.UserName = lookup.user(r.uid); }
  if (q.ExecutablePath === null) q.ExecutablePath = exe;
  return q;
}

/** A process known only from its record (it exited, or its pid was reused, before it was read). */
export function fromRecord(r: ConnectRecord, userName: string | null): ProcessInfo {
  return {
    ProcessId: r.pid, ProcessName: decodeBytes(r.comm), ExecutablePath: null, CommandLine: null,
    ParentProcessId: null, ProcessStartTime: null, UserName: userName, UserId: String(r.uid),
    ServiceName: null, IsService: false, Modules: null, ExecutableSha256: null, CgroupPath: null, NetNamespace: null,
  };
}
