/**
 * The one thread that changes network namespace (netns.ts): for each namespace path, enter it
 * with setns(2) and make `each` sock_diag netlink sockets there (a socket stays in that namespace;
 * its fd is the process's). Answers [{fds} | {error}] in order, then ends with the thread.
 */
import { fstatSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { C, libc } from '../../../native/linux/libc.js';

const { paths, ids, each } = workerData as { paths: string[]; ids: string[]; each: number };
const c = libc();
const out: ({ fds: number[] } | { error: string })[] = [];
for (const [i, path] of paths.entries()) {
  const nsFd = c.open(path, C.O_RDONLY | C.O_CLOEXEC);
  if (nsFd < 0) { out.push({ error: `cannot open ${path}: errno ${c.errno()}` }); continue; }
  try {
    // The pid may have exited and been reused since the namespace was found: enter only the one named.
    const ino = fstatSync(nsFd).ino;
    if (`net:[${ino}]` !== ids[i]) { out.push({ error: `${path} is no longer ${ids[i]} (its process exited)` }); continue; }
    if (c.setns(nsFd, C.CLONE_NEWNET) !== 0) { out.push({ error: `cannot enter ${path}: errno ${c.errno()}` }); continue; }
    const fds: number[] = [];
    while (fds.length < each) {
      const fd = c.socket(C.AF_NETLINK, C.SOCK_RAW | C.SOCK_CLOEXEC, C.NETLINK_SOCK_DIAG);
      if (fd < 0) break;
      fds.push(fd);
    }
    if (fds.length === each) out.push({ fds });
    else {
      const e = c.errno();
      for (const fd of fds) c.close(fd);
      out.push({ error: `cannot open a sock_diag socket in ${path}: errno ${e}` });
    }
  } finally {
    c.close(nsFd);
  }
}
parentPort!.postMessage(out);
