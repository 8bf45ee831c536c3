/**
 * A container's name from its runtime's own files, where that is cheap and safe: no runtime API
 * call, no shell, only files root's runtimes write, each opened without following a link,
 * regular, at most MAX_BYTES, and parsed as data.
 *   docker      /var/lib/docker/containers/<id>/config.v2.json        "Name": "/web"  -> web
 *   podman      /var/lib/containers/storage/overlay-containers/containers.json  [{id, names}]
 *   kubernetes  /var/log/containers/<pod>_<namespace>_<container>-<id>.log (the kubelet's
 *               links: only their names are read)                -> <namespace>/<pod>/<container>
 *   lxc, nspawn the id is the name
 * containerd and CRI-O outside Kubernetes keep names in databases: null there.
 */
import { closeSync, fstatSync, readdirSync, readSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { C, libc } from '../../../native/linux/libc.js';
import { openDirNoFollow } from '../../util/nofollow.js';
import { containerFromCgroup, type ContainerRuntime } from './container.js';

const MAX_BYTES = 4 << 20;
const LIST_TTL_MS = 5_000;
const MAX_CACHED = 10_000;

export interface RuntimeRoots {
  docker: string;
  podman: string;
  pods: string;
}

export const DEFAULT_ROOTS: RuntimeRoots = {
  docker: '/var/lib/docker/containers',
  podman: '/var/lib/containers/storage/overlay-containers/containers.json',
  pods: '/var/log/containers',
};

/** A directory opened component by component without following a link (its fd), or null. */
function openDir(path: string): number | null {
  try { return openDirNoFollow(path, false).fd; } catch { return null; }
}

/** A file's bytes if it is a regular file reached without any symbolic link, at most MAX_BYTES, else null. */
function readSmall(path: string): Buffer | null {
  const dir = openDir(dirname(path));
  if (dir === null) return null;
  const c = libc();
  const fd = c.openat(dir, basename(path), C.O_RDONLY | C.O_NOFOLLOW | C.O_NONBLOCK | C.O_CLOEXEC, 0);
  c.close(dir);
  if (fd < 0) return null;
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_BYTES) return null;
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) { const n = readSync(fd, buf, off, st.size - off, off); if (n <= 0) break; off += n; }
    return buf.subarray(0, off);
  } catch { return null; } finally { closeSync(fd); }
}

/** The names in a directory reached without any symbolic link. */
function listDir(path: string): string[] {
  const fd = openDir(path);
  if (fd === null) return [];
  try { return readdirSync(`/proc/self/fd/${fd}`); } catch { return []; } finally { libc().close(fd); }
}

/** docker's config.v2.json: its Name without the leading slash. */
export function dockerName(json: string): string | null {
  try {
    const v = JSON.parse(json) as { Name?: unknown };
    return typeof v.Name === 'string' && v.Name !== '' ? v.Name.replace(/^\//, '') : null;
  } catch { return null; }
}

/** podman's containers.json: id -> first name. */
export function podmanNames(json: string): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const v = JSON.parse(json) as unknown;
    if (!Array.isArray(v)) return out;
    for (const c of v as { id?: unknown; names?: unknown }[]) {
      if (typeof c?.id === 'string' && Array.isArray(c.names) && typeof c.names[0] === 'string') out.set(c.id, c.names[0]);
    }
  } catch { /* not JSON: no names */ }
  return out;
}

const POD_LOG = /^(.+)_([^_]+)_(.+)-([0-9a-f]{64})\.log$/;

/** The kubelet's /var/log/containers names: container id -> namespace/pod/container. */
export function podLogNames(files: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    const m = POD_LOG.exec(f);
    if (m) out.set(m[4], `${m[2]}/${m[1]}/${m[3]}`);
  }
  return out;
}

export class ContainerNames {
  private cache = new Map<string, string | null>();
  private lists: { podman: Map<string, string>; pods: Map<string, string>; at: number } | null = null;

  constructor(private roots: RuntimeRoots = DEFAULT_ROOTS) {}

  name(id: string, runtime: ContainerRuntime, podUid: string | null): string | null {
    const key = `${runtime}:${id}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const name = this.lookup(id, runtime, podUid);
    // A name not found yet may be written a moment later: only found names are kept for good.
    if (name !== null) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(key, name);
    }
    return name;
  }

  private lookup(id: string, runtime: ContainerRuntime, podUid: string | null): string | null {
    if (runtime === 'lxc' || runtime === 'nspawn') return id;
    const lists = this.freshLists();
    if (podUid !== null || runtime === 'containerd' || runtime === 'cri-o') {
      const k8s = lists.pods.get(id);
      if (k8s) return k8s;
    }
    if (runtime === 'docker' && /^[0-9a-f]{64}$/.test(id)) {
      const cfg = readSmall(`${this.roots.docker}/${id}/config.v2.json`);
      return cfg ? dockerName(cfg.toString('utf8')) : null;
    }
    if (runtime === 'podman') return lists.podman.get(id) ?? null;
    return null;
  }

  private freshLists(): { podman: Map<string, string>; pods: Map<string, string> } {
    const now = Date.now();
    if (this.lists && now - this.lists.at < LIST_TTL_MS) return this.lists;
    const podman = readSmall(this.roots.podman);
    const files = listDir(this.roots.pods);
    this.lists = { podman: podman ? podmanNames(podman.toString('utf8')) : new Map(), pods: podLogNames(files), at: now };
    return this.lists;
  }
}

export interface ContainerFields { ContainerId: string | null; ContainerName: string | null; ContainerRuntime: string | null; PodUid: string | null }

/** The record's container fields for a cgroup path, computed once per distinct path (snapshots and the logger share them). */
const fieldsByCgroup = new Map<string | null, ContainerFields>();
const names = new ContainerNames();
export function containerFields(cgroup: string | null): ContainerFields {
  let f = fieldsByCgroup.get(cgroup);
  if (!f) {
    const c = containerFromCgroup(cgroup);
    f = { ContainerId: c?.ContainerId ?? null, ContainerName: c ? names.name(c.ContainerId, c.ContainerRuntime, c.PodUid) : null, ContainerRuntime: c?.ContainerRuntime ?? null, PodUid: c?.PodUid ?? null };
    if (fieldsByCgroup.size > MAX_CACHED) fieldsByCgroup.clear();
    fieldsByCgroup.set(cgroup, f);
  }
  return f;
}
