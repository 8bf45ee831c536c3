/** Worker half of the parallel owner scan: claims pids from a shared counter until none are left. */
import { parentPort, workerData } from 'node:worker_threads';
import { PidScanner } from './fdscan.js';

const { pids, counter } = workerData as { pids: Int32Array; counter: Int32Array };
const sc = new PidScanner(null);
for (;;) {
  const i = Atomics.add(counter, 0, 1);
  if (i >= pids.length) break;
  sc.scan(pids[i]);
}
const pairs = new Float64Array(sc.res.owners.size * 2);
let k = 0;
for (const [inode, pid] of sc.res.owners) { pairs[k++] = inode; pairs[k++] = pid; }
parentPort!.postMessage({ pairs, deniedPids: sc.res.deniedPids, scannedPids: sc.res.scannedPids, scannedFds: sc.res.scannedFds }, [pairs.buffer]);
