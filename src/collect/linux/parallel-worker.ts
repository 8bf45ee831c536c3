/**
 * Worker half of a parallel snapshot: the netlink dump (kernel time) first, its raw replies handed
 * over without a copy, then owner scanning from the shared pid counter until no pid is left.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PidScanner } from './fdscan.js';
import { dumpRaw, type DumpTarget } from './netlink.js';

const { pids, counter, targets } = workerData as { pids: Int32Array; counter: Int32Array; targets: DumpTarget[] | null };
if (targets) {
  try {
    const dumps = dumpRaw(targets);
    parentPort!.postMessage({ kind: 'dump', dumps }, dumps.flatMap((d) => d.replies.map((r) => r.buffer as ArrayBuffer)));
  } catch (e) {
    parentPort!.postMessage({ kind: 'dump', error: (e as Error).message });
  }
}
const sc = new PidScanner(null);
for (;;) {
  const i = Atomics.add(counter, 0, 1);
  if (i >= pids.length) break;
  sc.scan(pids[i]);
}
const pairs = new Float64Array(sc.res.owners.size * 2);
let k = 0;
for (const [inode, pid] of sc.res.owners) { pairs[k++] = inode; pairs[k++] = pid; }
const { deniedPids, scannedPids, scannedFds } = sc.res;
parentPort!.postMessage({ kind: 'owners', pairs, deniedPids, scannedPids, scannedFds }, [pairs.buffer]);
