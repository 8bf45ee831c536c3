/**
 * The logger's other network namespaces (each container's): for each one, a sock_diag socket to
 * dump through at every poll and one subscribed to its socket-destroy events, both made inside it
 * by the namespace worker (collect/linux/netns.ts; this thread never changes namespace). The list
 * is refreshed every NS_REFRESH_MS, and at once when asked (a connect record from a namespace not
 * yet known); a namespace no process is in any more is read one last time and let go (our
 * sockets would otherwise keep it alive). With no other namespace, a refresh is all it costs.
 */
import { openDiagSockets, otherNamespaces, type Namespace } from '../../collect/linux/netns.js';
import { libc } from '../../../native/linux/libc.js';
import { listPids } from '../../collect/linux/fdscan.js';
import { DestroyListener } from '../../collect/linux/destroy.js';
import { dumpRaw, parseDumpReplies } from '../../collect/linux/netlink.js';
import type { SkipKnown } from '../../collect/linux/inetdiag.js';
import type { RawSocket } from '../../model/record.js';
import type { Diagnostic } from '../../model/diagnostic.js';

const NS_REFRESH_MS = 10_000;
/**
 * At most this many namespaces are entered: each costs two descriptors and a dump a poll, and a
 * dump walks the kernel's connection table (shared by every namespace unless
 * net.ipv4.tcp_child_ehash_entries is set), about 3.5 ms here; an unprivileged user can make
 * namespaces (`unshare -rn`) by the thousand. The rest are said once, not logged.
 */
const MAX_NAMESPACES = 256;
/** Per namespace: a container's bursts are smaller than the host's (64 MiB there). */
const NS_RCVBUF = 8 << 20;

interface Entered { ns: Namespace; dumpFd: number; destroy: DestroyListener }

export class LoggerNamespaces {
  private entered = new Map<string, Entered>();
  private lastRefresh = 0;
  private refreshing: Promise<void> | null = null;
  /** Closes read from namespaces let go, for the next drain. */
  private leftover: RawSocket[] = [];
  private overLimitSaid = false;

  constructor(private diag: (d: Diagnostic) => void) {}

  get size(): number { return this.entered.size; }

  /** Find namespaces now (the first time, awaited: the initial poll then sees them). */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => { this.refreshing = null; this.lastRefresh = Date.now(); });
    return this.refreshing;
  }

  /** Refresh in the background when one is due (or `now`). */
  maybeRefresh(now = false): void {
    if (now || Date.now() - this.lastRefresh >= NS_REFRESH_MS) void this.refresh();
  }

  private async doRefresh(): Promise<void> {
    const found = new Map(otherNamespaces(listPids('/proc')).map((n) => [n.id, n]));
    for (const [id, e] of this.entered) {
      if (found.has(id)) continue;
      this.leftover.push(...this.drainOne(e).closed);
      this.release(e);
      this.entered.delete(id);
    }
    let fresh = [...found.values()].filter((n) => !this.entered.has(n.id));
    const room = MAX_NAMESPACES - this.entered.size;
    if (fresh.length > room) {
      if (!this.overLimitSaid) this.diag({ Level: 'warning', Code: 'PR_NETNS_LIMIT', Message: `${found.size} other network namespaces; only ${MAX_NAMESPACES} are logged (${fresh.length - room} left out)` });
      this.overLimitSaid = true;
      fresh = fresh.slice(0, Math.max(0, room));
    }
    if (fresh.length === 0) return;
    // Two sockets in each: one to dump through, one subscribed to its destroy events.
    const { sockets, failed } = await openDiagSockets(fresh, 2);
    for (const f of failed) {
      this.diag({ Level: 'warning', Code: 'PR_NETNS', Message: `network namespace ${f.ns.id} (${f.ns.path}) is not logged: ${f.error}` });
    }
    for (const s of sockets) {
      const destroy = new DestroyListener();
      try {
        destroy.adopt(s.more[0], NS_RCVBUF); // closed by adopt when it throws
      } catch (e) {
        libc().close(s.fd);
        this.diag({ Level: 'warning', Code: 'PR_NETNS', Message: `network namespace ${s.ns.id}: ${(e as Error).message}; its connections are polled only` });
        continue;
      }
      this.entered.set(s.ns.id, { ns: s.ns, dumpFd: s.fd, destroy });
    }
  }

  /** Every entered namespace's sockets (those `skip` does not rule out), tagged with it. */
  dump(skip?: SkipKnown): RawSocket[] {
    const out: RawSocket[] = [];
    for (const [id, e] of this.entered) {
      try {
        for (const s of parseDumpReplies(dumpRaw(undefined, false, e.dumpFd), skip)) { s.netns = id; out.push(s); }
      } catch (err) {
        this.diag({ Level: 'error', Code: 'PR_POLL', Message: `network namespace ${id}: ${(err as Error).message}` });
      }
    }
    return out;
  }

  /** Closes reported in every namespace since the last drain, tagged; overflow when any dropped some. */
  drain(): { closed: RawSocket[]; overflow: boolean } {
    const closed = this.leftover.splice(0);
    let overflow = false;
    for (const e of this.entered.values()) {
      const r = this.drainOne(e);
      closed.push(...r.closed);
      overflow ||= r.overflow;
    }
    return { closed, overflow };
  }

  private drainOne(e: Entered): { closed: RawSocket[]; overflow: boolean } {
    try {
      const r = e.destroy.drain();
      for (const s of r.closed) s.netns = e.ns.id;
      return r;
    } catch (err) {
      this.diag({ Level: 'error', Code: 'PR_DESTROY_EVENTS', Message: `network namespace ${e.ns.id}: ${(err as Error).message}` });
      return { closed: [], overflow: false };
    }
  }

  private release(e: Entered): void {
    e.destroy.close();
    libc().close(e.dumpFd);
  }

  close(): void {
    for (const e of this.entered.values()) this.release(e);
    this.entered.clear();
  }
}
