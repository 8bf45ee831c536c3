/**
 * A full snapshot on two threads. The worker dumps the sockets over netlink while this thread
 * starts scanning /proc/<pid>/fd at once; both then claim pids from one shared counter. Used for
 * unfiltered snapshots, where nearly every socket needs an owner.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { listPids, mergeScan, PidScanner, type FdScanResult } from './fdscan.js';
import { type DumpTarget, type RawDump } from './netlink.js';

const WORKER = fileURLToPath(new URL('./parallel-worker.js', import.meta.url));

/**
 * Two threads help only with two cores and the compiled worker (absent under a TS test runner).
 * PORTREPORT_THREADS=1 keeps a snapshot on one thread (a busy host that should not lend a core).
 */
export function parallelAvailable(): boolean {
  return process.env.PORTREPORT_THREADS !== '1' && availableParallelism() > 1 && existsSync(WORKER);
}

export interface ParallelResult {
  /** The worker's raw netlink replies, or the error that stopped the dump. */
  dump: { dumps: RawDump[] } | { error: string } | null;
  scan: FdScanResult;
}

type OwnersMessage = Parameters<typeof mergeScan>[1];

/** Run the scan here and (when targets are given) the dump in a worker. */
export async function parallelSnapshot(targets: DumpTarget[] | null): Promise<ParallelResult> {
  const list = listPids('/proc');
  const pids = new Int32Array(new SharedArrayBuffer(list.length * 4));
  pids.set(list);
  const counter = new Int32Array(new SharedArrayBuffer(4));
  let dump: ParallelResult['dump'] = null;
  const owners = new Promise<OwnersMessage | null>((resolve) => {
    const w = new Worker(WORKER, { workerData: { pids, counter, targets } });
    w.on('message', (m: { kind: string } & Record<string, unknown>) => {
      if (m.kind === 'dump') dump = m.error ? { error: String(m.error) } : { dumps: m.dumps as RawDump[] };
      else { resolve(m as unknown as OwnersMessage); void w.terminate(); }
    });
    w.once('error', (e) => { dump ??= { error: `snapshot worker failed: ${e.message}` }; resolve(null); });
  });
  const sc = new PidScanner(null);
  for (;;) {
    const i = Atomics.add(counter, 0, 1);
    if (i >= pids.length) break;
    sc.scan(pids[i]);
  }
  const other = await owners;
  if (other) mergeScan(sc.res, other);
  else for (const pid of list) sc.scan(pid); // the worker died: its pids must still be scanned
  return { dump, scan: sc.res };
}
