/**
 * Container identity from a process's cgroup v2 path (/proc/<pid>/cgroup), the way the runtimes
 * name their cgroups: no runtime API call, no file outside /proc, so it is cheap and safe as root.
 *   docker       /docker/<id>                              (cgroupfs driver)
 *                /system.slice/docker-<id>.scope           (systemd driver)
 *   containerd   /kubepods/<qos>/pod<uid>/<id>             (Kubernetes, cgroupfs driver)
 *                …/kubepods-<qos>-pod<uid_>.slice/cri-containerd-<id>.scope
 *                /system.slice/containerd.service/<ns>/<id> (nerdctl, ctr)
 *   cri-o        …/crio-<id>.scope
 *   podman       …/libpod-<id>.scope, /machine.slice/libpod-<id>.scope/container
 *   lxc          /lxc/<name>, /lxc.payload.<name>
 *   nspawn       /machine.slice/systemd-nspawn@<name>.service, /machine.slice/machine-<name>.scope
 * A libvirt virtual machine's scope (machine-qemu…) is not a container. The innermost match wins (a container in a pod, a pod under a node's slice). conmon's own
 * cgroup (libpod-conmon-<id>.scope) and a runtime's daemon are not containers.
 */
export type ContainerRuntime = 'docker' | 'containerd' | 'cri-o' | 'podman' | 'lxc' | 'nspawn';

export interface ContainerIdentity {
  ContainerId: string;
  ContainerRuntime: ContainerRuntime;
  /** Kubernetes pod uid (with dashes), when the path names one. */
  PodUid: string | null;
}

const ID = '[0-9a-f]{64}';
const SCOPES: [RegExp, ContainerRuntime][] = [
  [new RegExp(`^docker-(${ID})\\.scope$`), 'docker'],
  [new RegExp(`^cri-containerd-(${ID})\\.scope$`), 'containerd'],
  [new RegExp(`^crio-(${ID})\\.scope$`), 'cri-o'],
  [new RegExp(`^libpod-(${ID})\\.scope$`), 'podman'],
];
const BARE_ID = new RegExp(`^${ID}$`);
const POD = /^(?:kubepods-(?:besteffort-|burstable-|guaranteed-)?)?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\.slice)?$/;
const NSPAWN = /^(?:systemd-nspawn@(.+)\.service|machine-(.+)\.scope)$/;

/** The container a cgroup path belongs to, or null for the host (or a path no runtime made). */
export function containerFromCgroup(path: string | null): ContainerIdentity | null {
  if (!path || path === '/') return null;
  const parts = path.split('/').filter((p) => p !== '');
  let pod: string | null = null;
  let found: ContainerIdentity | null = null;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const podMatch = POD.exec(p);
    if (podMatch) { pod = podMatch[1].replace(/_/g, '-'); continue; }
    const scope = SCOPES.find(([re]) => re.test(p));
    if (scope) { found = { ContainerId: scope[0].exec(p)![1], ContainerRuntime: scope[1], PodUid: pod }; continue; }
    if (BARE_ID.test(p)) {
      const parent = parts[i - 1] ?? '';
      const runtime: ContainerRuntime | null = parent === 'docker' ? 'docker'
        : pod !== null ? 'containerd'
          : i >= 2 && parts[i - 2] === 'containerd.service' ? 'containerd' : null;
      if (runtime) found = { ContainerId: p, ContainerRuntime: runtime, PodUid: pod };
      continue;
    }
    if (i === 1 && parts[0] === 'lxc') found = { ContainerId: p, ContainerRuntime: 'lxc', PodUid: null };
    else if (i === 0 && p.startsWith('lxc.payload.') && p.length > 12) found = { ContainerId: p.slice(12), ContainerRuntime: 'lxc', PodUid: null };
    else if (i === 1 && parts[0] === 'machine.slice') {
      const m = NSPAWN.exec(p);
      // libvirt's virtual machines are machine scopes too (machine-qemu\x2d1\x2dvm.scope): not containers.
      if (m && !p.startsWith('machine-qemu')) found = { ContainerId: (m[1] ?? m[2]).replace(/\\x2d/g, '-'), ContainerRuntime: 'nspawn', PodUid: null };
    }
  }
  return found;
}
