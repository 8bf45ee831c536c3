/**
 * Full owner scan on two threads: a worker starts claiming pids at once while the caller does other
 * work (the netlink dump), then the caller joins in; both claim from one shared counter.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { listPids, mergeScan, PidScanner, type FdScanResult } from './fdscan.js';

const WORKER = fileURLToPath(new URL('./fdscan-worker.js', import.meta.url));

export interface OwnerScan {
  finish(): Promise<FdScanResult>;
}

/** Start a full scan of every socket owner. Falls back to one thread when no worker can run. */
export function startOwnerScan(): OwnerScan {
  const list = listPids('/proc');
  const pids = new Int32Array(new SharedArrayBuffer(list.length * 4));
  pids.set(list);
  const counter = new Int32Array(new SharedArrayBuffer(4));
  let worker: Promise<Parameters<typeof mergeScan>[1] | null> = Promise.resolve(null);
  // The compiled worker exists next to this file; under a TS test runner it does not: stay on one thread.
  const parallel = availableParallelism() > 1 && existsSync(WORKER);
  if (parallel) {
    worker = new Promise((resolve) => {
      const w = new Worker(WORKER, { workerData: { pids, counter } });
      w.once('message', (m) => { resolve(m); void w.terminate(); });
      // A failed worker leaves its claimed pids unscanned only if it died mid-way; rescan all then.
      w.once('error', () => resolve(null));
    });
  }
  return {
    async finish() {
      const sc = new PidScanner(null);
      for (;;) {
        const i = Atomics.add(counter, 0, 1);
        if (i >= pids.length) break;
        sc.scan(pids[i]);
      }
      const other = await worker;
      if (other) mergeScan(sc.res, other);
      else if (parallel) {
        // The worker failed: scan everything here so no owner is lost.
        for (const pid of list) sc.scan(pid);
      }
      return sc.res;
    },
  };
}
