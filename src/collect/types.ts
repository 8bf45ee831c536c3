import type { ConnectionRecord } from '../model/record.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { FilterSpec } from '../filter.js';

export interface SnapshotOptions {
  filter: FilterSpec;
  includeModules: boolean;
  includeHash: boolean;
  /** Windows: per-connection bytes through ESTATS (opt-in; Linux's come with every socket). */
  includeBytes?: boolean;
  /** Linux: where sockets come from. auto = netlink, falling back to /proc/net. */
  source: 'auto' | 'netlink' | 'procfs';
}

export interface Snapshot {
  records: ConnectionRecord[];
  diagnostics: Diagnostic[];
}

/** One collector per platform, all with this signature (osquery's process_open_sockets shape). */
export type Collector = (opts: SnapshotOptions) => Promise<Snapshot>;
