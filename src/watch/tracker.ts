/**
 * Connection tracking for the logger: compares each poll with the sockets alive before and turns
 * socket-destroy notifications into close events. Pure: no I/O, so tests drive it with literal
 * sockets. A socket is keyed by its sock_diag cookie (stable for its life), else by its tuple+inode.
 */
import type { OwnerStatus, ProcessInfo, RawSocket, SocketState } from '../model/record.js';

export type EventKind = 'Open' | 'StateChange' | 'Close';

export interface ConnEvent {
  time: Date;
  event: EventKind;
  socket: RawSocket;
  previousState: SocketState | null;
  owner: ProcessInfo | null;
  ownerStatus: OwnerStatus;
  firstSeen: Date | null;
  lastSeen: Date | null;
  /** poll: seen (or missed) by a poll; destroy: a socket-destroy notification (Linux); etw: a Kernel-Network event (Windows). */
  source: 'poll' | 'destroy' | 'etw';
}

interface Live {
  /** The poll that last saw it. */
  gen: number;
  /** First seen in TIME_WAIT: the remnant of a connection already closed; tracked without events. */
  quiet?: boolean;
  socket: RawSocket;
  owner: ProcessInfo | null;
  ownerStatus: OwnerStatus;
  firstSeen: Date;
  lastSeen: Date;
}

export function socketKey(s: RawSocket): string {
  return s.cookie ?? `${s.protocol}|${s.localAddress}|${s.localPort}|${s.remoteAddress}|${s.remotePort}|${s.inode}`;
}

export type OwnerLookup = (s: RawSocket) => { owner: ProcessInfo | null; status: OwnerStatus };

/** The process that acted on a socket, from a connect-time event source (Linux eBPF). */
export type ActorLookup = (s: RawSocket) => { owner: ProcessInfo; uid: number; time: Date } | null;

/** RawSocket.uid of a socket whose owner's uid is not known (the kernel's (uid_t)-1). */
export const UNKNOWN_UID = -1;

export class ConnectionTracker {
  private live = new Map<string, Live>();
  /** Listening TCP sockets by "family|port", rebuilt each poll, for inferring accepted connections' owners. */
  private listeners = new Map<string, Live[]>();
  /** Keys closed recently: a poll that raced the close must not reopen them. */
  private closed = new Map<string, number>();

  private gen = 0;
  private pollOpen = false;

  constructor(private closedMemoryMs = 10_000) {}

  /**
   * Start a poll whose unchanged sockets are reported by touch() instead of being passed to
   * poll() (so they need not be parsed). poll() then takes only the others.
   */
  beginPoll(): void {
    this.gen++;
    this.pollOpen = true;
  }

  /** During a poll: true (and marked seen) when the socket is tracked and its state is unchanged. */
  touch(key: string, state: SocketState, now: Date): boolean {
    const l = this.live.get(key);
    if (!l || l.socket.state !== state) return false;
    l.gen = this.gen;
    l.lastSeen = now;
    return true;
  }

  get size(): number {
    return this.live.size;
  }

  /** Sockets alive now, with their owners (for attribution and module checks). */
  *liveSockets(): IterableIterator<{ socket: RawSocket; owner: ProcessInfo | null }> {
    for (const l of this.live.values()) yield l;
  }

  /**
   * One poll. `lookup` is called only for sockets not seen before (the caller's owner cache makes
   * it cheap). Emits Open, StateChange and Close (for sockets gone without a destroy event).
   */
  poll(sockets: RawSocket[], now: Date, lookup: OwnerLookup): ConnEvent[] {
    if (!this.pollOpen) this.gen++;
    this.pollOpen = false;
    const gen = this.gen;
    const events: ConnEvent[] = [];
    for (const s of sockets) {
      const key = socketKey(s);
      const l = this.live.get(key);
      if (l) {
        if (l.socket.state !== s.state) {
          events.push({ time: now, event: 'StateChange', socket: s, previousState: l.socket.state, owner: l.owner, ownerStatus: l.ownerStatus, firstSeen: l.firstSeen, lastSeen: now, source: 'poll' });
        }
        l.socket = s;
        l.lastSeen = now;
        l.gen = gen;
        continue;
      }
      if (this.closed.has(key)) continue;
      if (s.state === 'TimeWait') {
        // Its connection's close was logged (destroy event) or happened before we started.
        this.live.set(key, { gen, quiet: true, socket: s, owner: null, ownerStatus: 'NoInode', firstSeen: now, lastSeen: now });
        continue;
      }
      const { owner, status } = lookup(s);
      this.live.set(key, { gen, socket: s, owner, ownerStatus: status, firstSeen: now, lastSeen: now });
      events.push({ time: now, event: 'Open', socket: s, previousState: null, owner, ownerStatus: status, firstSeen: now, lastSeen: now, source: 'poll' });
    }
    this.listeners.clear();
    for (const [key, l] of this.live) {
      if (l.gen === gen) {
        if (l.socket.state === 'Listen' && l.socket.protocol === 'TCP') {
          const k = `${l.socket.netns ?? ''}|${l.socket.family}|${l.socket.localPort}`;
          const list = this.listeners.get(k);
          if (list) list.push(l); else this.listeners.set(k, [l]);
        }
        continue;
      }
      this.live.delete(key);
      this.remember(key, now);
      if (l.quiet) continue;
      events.push({ time: now, event: 'Close', socket: l.socket, previousState: l.socket.state, owner: l.owner, ownerStatus: l.ownerStatus, firstSeen: l.firstSeen, lastSeen: l.lastSeen, source: 'poll' });
    }
    this.forget(now);
    return events;
  }

  /**
   * Sockets the kernel reports destroyed. A socket a poll saw keeps its owner and first-seen time;
   * one that lived between polls gets the owner of a listener on its local port when there is one
   * (an accepted connection), else none, and its uid is unknown: the kernel's notification carries
   * uid 0 whoever owned the socket, so it is never taken as the owner. With a connect-time source
   * (`actor`), such a socket gets the process that connected, sent or bound it, its uid and the
   * time it did so (the connection's first moment).
   */
  destroyed(sockets: RawSocket[], now: Date, actor?: ActorLookup): ConnEvent[] {
    const events: ConnEvent[] = [];
    for (const s of sockets) {
      const key = socketKey(s);
      const l = this.live.get(key);
      if (l) {
        this.live.delete(key);
        this.remember(key, now);
        // The uid too comes from the dump: the kernel's close notification says 0 (root) for every socket.
        events.push({ time: now, event: 'Close', socket: { ...s, inode: l.socket.inode, uid: l.socket.uid }, previousState: l.socket.state, owner: l.owner, ownerStatus: l.ownerStatus, firstSeen: l.firstSeen, lastSeen: l.lastSeen, source: 'destroy' });
        continue;
      }
      if (this.closed.has(key)) continue;
      this.remember(key, now);
      const a = actor?.(s);
      if (a) {
        events.push({
          time: now, event: 'Close', socket: { ...s, uid: a.uid }, previousState: null,
          owner: a.owner, ownerStatus: 'Known', firstSeen: a.time, lastSeen: null, source: 'destroy',
        });
        continue;
      }
      const listener = this.listenerFor(s);
      events.push({
        // Never seen by a poll: the notification's uid (always 0) is not the owner's; unknown (-1).
        time: now, event: 'Close', socket: { ...s, uid: UNKNOWN_UID }, previousState: null,
        owner: listener?.owner ?? null, ownerStatus: listener?.owner ? 'Inferred' : 'NotFound',
        firstSeen: null, lastSeen: null, source: 'destroy',
      });
    }
    return events;
  }

  /**
   * A connection an event source reports opened between polls (Windows' connect/accept events):
   * tracked as if a poll had seen it, so the next poll that does not list it closes it, and a poll
   * that does list it adds nothing. Null when it is tracked already or closed a moment ago.
   */
  opened(s: RawSocket, now: Date, lookup: OwnerLookup, source: ConnEvent['source']): ConnEvent | null {
    const key = socketKey(s);
    if (this.live.has(key) || this.closed.has(key)) return null;
    const { owner, status } = lookup(s);
    this.live.set(key, { gen: this.gen, socket: s, owner, ownerStatus: status, firstSeen: now, lastSeen: now });
    return { time: now, event: 'Open', socket: s, previousState: null, owner, ownerStatus: status, firstSeen: now, lastSeen: now, source };
  }

  /**
   * A connection an event source reports closed, whose event names its owner (Windows' disconnect
   * events carry the pid): the owner known since its open, else the one the lookup finds.
   */
  closedByEvent(s: RawSocket, now: Date, lookup: OwnerLookup, source: ConnEvent['source']): ConnEvent | null {
    const key = socketKey(s);
    if (this.closed.has(key)) return null;
    this.remember(key, now);
    const l = this.live.get(key);
    if (l) {
      this.live.delete(key);
      return { time: now, event: 'Close', socket: { ...s, uid: l.socket.uid }, previousState: l.socket.state, owner: l.owner, ownerStatus: l.ownerStatus, firstSeen: l.firstSeen, lastSeen: now, source };
    }
    const { owner, status } = lookup(s);
    return { time: now, event: 'Close', socket: s, previousState: null, owner, ownerStatus: status, firstSeen: null, lastSeen: null, source };
  }

  private listenerFor(s: RawSocket): Live | undefined {
    if (s.protocol !== 'TCP') return undefined;
    // Equal ports in two network namespaces are two listeners.
    return this.listeners.get(`${s.netns ?? ''}|${s.family}|${s.localPort}`)?.find((l) =>
      l.socket.localAddress === s.localAddress || l.socket.localAddress === '0.0.0.0' || l.socket.localAddress === '::');
  }

  /** True when the socket is already tracked (its owner is known or was looked up). */
  has(s: RawSocket): boolean {
    return this.live.has(socketKey(s));
  }

  private remember(key: string, now: Date): void {
    this.closed.set(key, now.getTime());
  }

  private forget(now: Date): void {
    const cutoff = now.getTime() - this.closedMemoryMs;
    for (const [k, t] of this.closed) {
      if (t >= cutoff) break; // insertion order is time order
      this.closed.delete(k);
    }
  }
}
