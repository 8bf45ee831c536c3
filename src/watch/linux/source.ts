/**
 * The logger's Linux source: netlink sock_diag polls (the /proc/net text when netlink fails),
 * owners through the inode cache (owners.ts), and socket-destroy notifications between polls, so
 * connections that live between two polls are logged too.
 */
import { collectLinux } from '../../collect/linux/index.js';
import { dumpRaw, parseDumpReplies } from '../../collect/linux/netlink.js';
import { DestroyListener } from '../../collect/linux/destroy.js';
import { readProcNet } from '../../collect/linux/procnet.js';
import { ProcessReader } from '../../collect/linux/process.js';
import { OwnerCache } from '../owners.js';
import type { SourceContext, WatchSource } from '../source.js';
import type { ConnEvent } from '../tracker.js';

export function linuxSource(ctx: SourceContext): WatchSource {
  const { tracker, diag } = ctx;
  const reader = new ProcessReader();
  const owners = new OwnerCache(reader, ctx.includeHash, ctx.onNewProcess);
  const destroy = new DestroyListener();
  let netlinkFailed = false;

  const poll = (seed: boolean): ConnEvent[] => {
    const now = new Date();
    let sockets;
    try {
      // Sockets tracked with an unchanged state are only touched, never parsed.
      // Replies in buffers reused from poll to poll: they are parsed here, before the next dump.
      const dumps = dumpRaw(undefined, true);
      tracker.beginPoll();
      sockets = parseDumpReplies(dumps, (cookie, state) => tracker.touch(cookie, state, now));
    } catch (e) {
      if (!netlinkFailed) diag({ Level: 'warning', Code: 'PR_NETLINK_UNAVAILABLE', Message: `netlink socket dump failed (${(e as Error).message}); polling /proc/net instead` });
      netlinkFailed = true;
      sockets = readProcNet('/proc', (err) => diag({ Level: 'error', Code: 'PR_POLL', Message: err.message }));
    }
    owners.resolve(sockets.filter((s) => !tracker.has(s)).map((s) => s.inode));
    const events = tracker.poll(sockets, now, (s) => owners.lookup(s));
    return seed ? [] : events;
  };

  return {
    async initial() {
      const snap = await collectLinux({ filter: {}, includeModules: true, includeHash: ctx.includeHash, source: 'auto' });
      owners.seed(snap.records);
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
      if (!destroy.isOpen) return { events: [], resync: false };
      try {
        const { closed, overflow } = destroy.drain();
        if (overflow) diag({ Level: 'warning', Code: 'PR_EVENTS_DROPPED', Message: 'the kernel dropped socket-destroy events (burst beyond the receive buffer); resynchronising with a full dump' });
        return { events: closed.length ? tracker.destroyed(closed, new Date()) : [], resync: overflow };
      } catch (e) {
        diag({ Level: 'error', Code: 'PR_DESTROY_EVENTS', Message: (e as Error).message });
        destroy.close();
        return { events: [], resync: false };
      }
    },
    changedModules: (pids) => owners.changedModules(pids),
    forget: (e) => owners.forget(e.socket.inode),
    user: (uid) => reader.users.name(uid),
    close: () => destroy.close(),
  };
}
