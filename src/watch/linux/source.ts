/**
 * The logger's Linux source: netlink sock_diag polls (the /proc/net text when netlink fails),
 * owners through the inode cache (owners.ts), and socket-destroy notifications between polls, so
 * connections that live between two polls are logged too; connect-time events (eBPF, when the
 * kernel allows) name the process behind each socket no poll saw, so short-lived clients are
 * attributed (attribution.ts).
 */
import { collectLinux } from '../../collect/linux/index.js';
import { dumpRaw, parseDumpReplies } from '../../collect/linux/netlink.js';
import { DestroyListener } from '../../collect/linux/destroy.js';
import { readProcNet } from '../../collect/linux/procnet.js';
import { ProcessReader } from '../../collect/linux/process.js';
import { ConnectEvents } from '../../collect/linux/connects.js';
import { Attribution } from './attribution.js';
import { LoggerNamespaces } from './namespaces.js';
import { ownNamespace } from '../../collect/linux/netns.js';
import { OwnerCache } from '../owners.js';
import type { SourceContext, WatchSource } from '../source.js';
import type { ConnEvent } from '../tracker.js';
import type { RawSocket, SocketState } from '../../model/record.js';

export function linuxSource(ctx: SourceContext): WatchSource {
  const { tracker, diag } = ctx;
  const reader = new ProcessReader();
  const owners = new OwnerCache(reader, ctx.includeHash, ctx.onNewProcess);
  const destroy = new DestroyListener();
  let netlinkFailed = false;
  const actors = new Attribution({ executable: (pid) => reader.executable(pid), process: (pid, before) => owners.process(pid, before), user: (uid) => reader.users.name(uid) });
  let connects: ConnectEvents | null = null;
  let lostReported = 0;
  // Other network namespaces: dumped at each poll, their closes drained with ours.
  const spaces = new LoggerNamespaces(diag);
  const hostNs = ownNamespace();
  const netnsSeen = new Set<string>();
  const takeConnects = () => {
    if (!connects) return;
    try {
      const records = connects.read();
      for (const r of records) {
        // A namespace not met before (a container just started): look for it now, not in 10 s.
        if (netnsSeen.has(r.netnsCookie) || netnsSeen.size > 10_000) continue;
        netnsSeen.add(r.netnsCookie);
        spaces.maybeRefresh(true);
      }
      actors.add(records);
      const lost = connects.lost();
      if (lost > lostReported) {
        diag({ Level: 'warning', Code: 'PR_CONNECT_EVENTS_LOST', Message: `${lost - lostReported} connect-time records found the ring buffer full; those sockets' owners come from polls and listeners alone` });
        lostReported = lost;
      }
    } catch (e) {
      diag({ Level: 'error', Code: 'PR_CONNECT_EVENTS', Message: `${(e as Error).message}; connect-time attribution stops` });
      connects.close();
      connects = null;
    }
  };
  // A socket a poll finds without an owner (its process closed it or exited) may have its actor.
  const lookup = (s: RawSocket) => {
    const r = owners.lookup(s);
    if (r.owner || !connects) return r;
    const a = actors.get(s.cookie);
    return a ? { owner: a.owner, status: 'Known' as const } : r;
  };

  const poll = (seed: boolean): ConnEvent[] => {
    const now = new Date();
    let sockets;
    try {
      // Sockets tracked with an unchanged state are only touched, never parsed.
      // Replies in buffers reused from poll to poll: they are parsed here, before the next dump.
      const dumps = dumpRaw(undefined, true);
      tracker.beginPoll();
      const touch = (cookie: string, state: SocketState) => tracker.touch(cookie, state, now);
      sockets = parseDumpReplies(dumps, touch);
      for (const s of sockets) s.netns = hostNs;
      if (spaces.size) sockets = sockets.concat(spaces.dump(touch));
      spaces.maybeRefresh();
    } catch (e) {
      if (!netlinkFailed) diag({ Level: 'warning', Code: 'PR_NETLINK_UNAVAILABLE', Message: `netlink socket dump failed (${(e as Error).message}); polling /proc/net instead` });
      netlinkFailed = true;
      sockets = readProcNet('/proc', (err) => diag({ Level: 'error', Code: 'PR_POLL', Message: err.message }));
    }
    owners.resolve(sockets.filter((s) => !tracker.has(s)).map((s) => s.inode));
    takeConnects();
    const events = tracker.poll(sockets, now, lookup);
    return seed ? [] : events;
  };

  return {
    async initial() {
      // Before the snapshot, so sockets made while it is taken are attributed too.
      if (ctx.events !== 'none' && ctx.events !== 'destroy') {
        try {
          connects = ConnectEvents.open();
          connects.watch(takeConnects);
          diag({ Level: 'verbose', Code: 'PR_CONNECT_EVENTS', Message: `connect-time attribution on (eBPF on the cgroup v2 root ${connects.cgroup})` });
        } catch (e) {
          if (ctx.events === 'bpf') throw e;
          diag({ Level: 'warning', Code: 'PR_CONNECT_EVENTS_UNAVAILABLE', Message: `connect-time attribution is off (${(e as Error).message}); connections that open and close between two polls are logged with the owner of their listener, or none` });
        }
      }
      const snap = await collectLinux({ filter: {}, includeModules: true, includeHash: ctx.includeHash, source: 'auto' });
      owners.seed(snap.records);
      await spaces.refresh();
      try {
        // PORTREPORT_DESTROY_RCVBUF shrinks the receive buffer, so tests can make the kernel drop
        // events for real (docs/logs.md); nothing else sets it.
        const rcvbuf = Number(process.env.PORTREPORT_DESTROY_RCVBUF);
        destroy.open(rcvbuf > 0 ? rcvbuf : undefined);
      } catch (e) {
        diag({ Level: 'warning', Code: 'PR_DESTROY_EVENTS_UNAVAILABLE', Message: `${(e as Error).message}; connections that open and close between two polls will be missed` });
      }
      return snap;
    },
    poll,
    drain() {
      takeConnects();
      const closed: RawSocket[] = [];
      let overflow = false;
      if (destroy.isOpen) {
        try {
          const r = destroy.drain();
          for (const c of r.closed) { c.netns = hostNs; closed.push(c); }
          overflow = r.overflow;
        } catch (e) {
          diag({ Level: 'error', Code: 'PR_DESTROY_EVENTS', Message: (e as Error).message });
          destroy.close();
        }
      }
      const ns = spaces.drain();
      closed.push(...ns.closed);
      overflow ||= ns.overflow;
      if (overflow) diag({ Level: 'warning', Code: 'PR_EVENTS_DROPPED', Message: 'the kernel dropped socket-destroy events (burst beyond the receive buffer); resynchronising with a full dump' });
      return { events: closed.length ? tracker.destroyed(closed, new Date(), (s) => actors.get(s.cookie)) : [], resync: overflow };
    },
    changedModules: (pids) => owners.changedModules(pids),
    forget: (e) => { owners.forget(e.socket.inode); actors.forget(e.socket.cookie); },
    user: (uid) => reader.users.name(uid),
    close: () => { connects?.close(); connects = null; destroy.close(); spaces.close(); },
  };
}
