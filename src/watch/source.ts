/**
 * What the logger needs from a platform, one implementation each (linux/source.ts,
 * windows/source.ts): the initial snapshot, polls turned into connection events by the shared
 * tracker, events between polls, owners' module changes. The loop, the log files and the notes
 * (watcher.ts) are the same everywhere.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { ProcessInfo } from '../model/record.js';
import type { Snapshot } from '../collect/types.js';
import type { ConnEvent, ConnectionTracker } from './tracker.js';

export interface WatchSource {
  /** The full snapshot of the initial log (modules, hashes as asked); seeds the owner cache. */
  initial(): Promise<Snapshot>;
  /** One poll: the tracker's events (none are returned for the seeding poll). */
  poll(seed: boolean): ConnEvent[];
  /** Events that arrived between polls; `resync` when some were lost (a poll follows, a Gap was said). */
  drain(): { events: ConnEvent[]; resync: boolean };
  /** Processes whose loaded modules changed, among these pids. */
  changedModules(pids: number[]): ProcessInfo[];
  /** A closed socket's owner mapping may be dropped. */
  forget(e: ConnEvent): void;
  /** The account name of a socket uid (Linux), for rows without an owner. */
  user(uid: number): string | null;
  /** Ends the source (an event stream stops cleanly before the logs close). */
  close(): void | Promise<void>;
}

export interface SourceContext {
  tracker: ConnectionTracker;
  includeHash: boolean;
  /** Windows: the event source between polls (auto = ETW when the bridge is there), and the bridge folder. */
  events: string;
  bridge: string | null;
  /** Every gap, drop or failure: reported, and logged as a row. */
  diag(d: Diagnostic): void;
  /** A process seen for the first time (the processes log). */
  onNewProcess(p: ProcessInfo): void;
}
