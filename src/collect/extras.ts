/** What every collector adds on request, after its filters: modules and executable hashes. */
import type { ConnectionRecord } from '../model/record.js';
import type { SnapshotOptions } from './types.js';

/**
 * Modules and hashes only for the processes the filters kept, read once each. `hashPath` names the
 * file to hash for a record (Linux: /proc/<pid>/exe, the running image; Windows: the image path).
 */
export function addModulesAndHashes(records: ConnectionRecord[], opts: SnapshotOptions, modules: (pid: number) => string[] | null,
  hash: (path: string) => string | null, hashPath: (r: ConnectionRecord) => string | null): void {
  if (!opts.includeModules && !opts.includeHash) return;
  const extra = new Map<number, [string[] | null, string | null]>();
  for (const r of records) {
    if (r.ProcessId === null) continue;
    let e = extra.get(r.ProcessId);
    if (!e) {
      const path = opts.includeHash && r.ExecutablePath ? hashPath(r) : null;
      e = [opts.includeModules ? modules(r.ProcessId) : null, path ? hash(path) : null];
      extra.set(r.ProcessId, e);
    }
    [r.Modules, r.ExecutableSha256] = e;
  }
}
