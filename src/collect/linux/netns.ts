/**
 * Every network namespace's sockets (each container's), not only this process's. The distinct
 * namespaces are found from /proc/<pid>/ns/net and /run/netns/* (ip netns). For each one other
 * than ours, a dedicated worker thread enters it with setns(2) and creates a sock_diag netlink
 * socket there; a socket keeps the namespace it was made in, so this thread dumps through it
 * without ever changing namespace. The worker, the only thread that moved, then ends. When the
 * host has one namespace none of this runs: a snapshot costs what it did.
 */
import { existsSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { libc } from '../../../native/linux/libc.js';

const WORKER = fileURLToPath(new URL('./netns-worker.js', import.meta.url));

export interface Namespace {
  /** As the kernel names it in /proc/<pid>/ns/net: "net:[4026532281]". */
  id: string;
  /** What to open to enter it: /proc/<pid>/ns/net of a process in it, or /run/netns/<name>. */
  path: string;
  /** A process in it (the lowest pid), or null for a named namespace no process is in. */
  pid: number | null;
}

/** This process's own network namespace ("net:[…]"), or null when it cannot be read. */
export function ownNamespace(): string | null {
  try { return readlinkSync('/proc/self/ns/net'); } catch { return null; }
}

/** Every network namespace other than ours: one entry each, from the processes in them and /run/netns. */
export function otherNamespaces(pids: readonly number[], procRoot = '/proc', runNetns = '/run/netns'): Namespace[] {
  const own = procRoot === '/proc' ? ownNamespace() : null;
  const seen = new Map<string, Namespace>();
  for (const pid of pids) {
    let id: string;
    try { id = readlinkSync(`${procRoot}/${pid}/ns/net`); } catch { continue; } // exited, or not ours to read
    if (id !== own && !seen.has(id)) seen.set(id, { id, path: `${procRoot}/${pid}/ns/net`, pid });
  }
  let names: string[] = [];
  try { names = readdirSync(runNetns); } catch { /* no named namespaces */ }
  for (const name of names) {
    try {
      const st = statSync(`${runNetns}/${name}`);
      const id = `net:[${st.ino}]`;
      if (id !== own && !seen.has(id)) seen.set(id, { id, path: `${runNetns}/${name}`, pid: null });
    } catch { /* gone meanwhile */ }
  }
  return [...seen.values()];
}

/** `fd` to dump through; `more`: the further sockets asked for, made in the same namespace. */
export interface DiagSocket { ns: Namespace; fd: number; more: number[] }

/**
 * `each` sock_diag sockets inside each namespace (1 unless asked), made by a worker thread
 * (setns there, never here). Namespaces that cannot be entered (gone, not root, no worker) are
 * reported, not fatal.
 */
export async function openDiagSockets(list: Namespace[], each = 1): Promise<{ sockets: DiagSocket[]; failed: { ns: Namespace; error: string }[] }> {
  if (list.length === 0) return { sockets: [], failed: [] };
  if (!existsSync(WORKER)) return { sockets: [], failed: list.map((ns) => ({ ns, error: 'the namespace worker is not built' })) };
  type Answer = { fds: number[] } | { error: string };
  const answers = await new Promise<Answer[]>((resolve) => {
    const w = new Worker(WORKER, { workerData: { paths: list.map((n) => n.path), ids: list.map((n) => n.id), each } });
    w.once('message', (m: Answer[]) => resolve(m));
    w.once('error', (e) => resolve(list.map(() => ({ error: `namespace worker failed: ${e.message}` }))));
    w.once('exit', () => resolve(list.map(() => ({ error: 'namespace worker ended early' }))));
  });
  const sockets: DiagSocket[] = [];
  const failed: { ns: Namespace; error: string }[] = [];
  answers.forEach((a, i) => ('fds' in a ? sockets.push({ ns: list[i], fd: a.fds[0], more: a.fds.slice(1) }) : failed.push({ ns: list[i], error: a.error })));
  return { sockets, failed };
}

export function closeDiagSockets(sockets: DiagSocket[]): void {
  const c = libc();
  for (const s of sockets) for (const fd of [s.fd, ...s.more]) c.close(fd);
}
