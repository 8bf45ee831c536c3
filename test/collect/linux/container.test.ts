import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerFromCgroup } from '../../../src/collect/linux/container.js';
import type { ConnectionRecord } from '../../../src/model/record.js';
import { FIXTURES, ndjson, runSidecar } from '../../helpers/procs.js';
import { readLogs, startWatch } from '../../helpers/watch.js';

const A = 'a'.repeat(60) + '0123';
const B = '4f8c' + 'b'.repeat(60);

describe('container identity from literal cgroup paths', () => {
  it.each([
    ['docker, cgroupfs driver', `/docker/${A}`, { ContainerId: A, ContainerRuntime: 'docker', PodUid: null }],
    ['docker, systemd driver', `/system.slice/docker-${A}.scope`, { ContainerId: A, ContainerRuntime: 'docker', PodUid: null }],
    ['kubernetes + containerd, systemd driver',
      `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1f2e3d4c_5b6a_7980_a1b2_c3d4e5f60718.slice/cri-containerd-${A}.scope`,
      { ContainerId: A, ContainerRuntime: 'containerd', PodUid: '1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718' }],
    ['kubernetes + containerd, cgroupfs driver', `/kubepods/besteffort/pod1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718/${A}`,
      { ContainerId: A, ContainerRuntime: 'containerd', PodUid: '1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718' }],
    ['kubernetes guaranteed pod (no QoS slice)', `/kubepods.slice/kubepods-pod1f2e3d4c_5b6a_7980_a1b2_c3d4e5f60718.slice/cri-containerd-${B}.scope`,
      { ContainerId: B, ContainerRuntime: 'containerd', PodUid: '1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718' }],
    ['kubernetes + docker', `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1f2e3d4c_5b6a_7980_a1b2_c3d4e5f60718.slice/docker-${A}.scope`,
      { ContainerId: A, ContainerRuntime: 'docker', PodUid: '1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718' }],
    ['cri-o', `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1f2e3d4c_5b6a_7980_a1b2_c3d4e5f60718.slice/crio-${A}.scope`,
      { ContainerId: A, ContainerRuntime: 'cri-o', PodUid: '1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718' }],
    ['nerdctl / ctr under containerd.service', `/system.slice/containerd.service/default/${A}`, { ContainerId: A, ContainerRuntime: 'containerd', PodUid: null }],
    ['podman, root', `/machine.slice/libpod-${A}.scope`, { ContainerId: A, ContainerRuntime: 'podman', PodUid: null }],
    ['podman, root, the container\'s own sub-cgroup', `/machine.slice/libpod-${A}.scope/container`, { ContainerId: A, ContainerRuntime: 'podman', PodUid: null }],
    ['podman, rootless', `/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${A}.scope`, { ContainerId: A, ContainerRuntime: 'podman', PodUid: null }],
    ['lxc', '/lxc/web01', { ContainerId: 'web01', ContainerRuntime: 'lxc', PodUid: null }],
    ['lxc 4+', '/lxc.payload.web01/init.scope', { ContainerId: 'web01', ContainerRuntime: 'lxc', PodUid: null }],
    ['systemd-nspawn', '/machine.slice/systemd-nspawn@build\\x2dbox.service/payload', { ContainerId: 'build-box', ContainerRuntime: 'nspawn', PodUid: null }],
    ['machined scope', '/machine.slice/machine-build.scope', { ContainerId: 'build', ContainerRuntime: 'nspawn', PodUid: null }],
  ])('%s', (_name, path, want) => {
    expect(containerFromCgroup(path)).toEqual(want);
  });

  it.each([
    ['the root cgroup', '/'],
    ['no cgroup', null],
    ['a system service', '/system.slice/ssh.service'],
    ['the docker daemon itself', '/system.slice/docker.service'],
    ['containerd itself', '/system.slice/containerd.service'],
    ['podman conmon (the monitor, not the container)', `/machine.slice/libpod-conmon-${A}.scope`],
    ['a libvirt virtual machine (its qemu runs on the host)', '/machine.slice/machine-qemu\\x2d1\\x2dwin11.scope/libvirt/emulator'],
    ['a user session', '/user.slice/user-1000.slice/session-3.scope'],
    ['a 64-hex name under an unrelated parent', `/system.slice/${A}`],
    ['an id one character short', `/docker/${A.slice(1)}`],
    ['upper-case hex (no runtime writes it)', `/docker/${A.toUpperCase()}`],
    ['a pod slice alone (the pod\'s pause cgroup parent)', '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1f2e3d4c_5b6a_7980_a1b2_c3d4e5f60718.slice'],
  ])('no container for %s', (_name, path) => {
    expect(containerFromCgroup(path)).toBeNull();
  });
});

/**
 * Real cgroups: as root, cgroup v2 directories laid out as docker and Kubernetes+containerd make
 * them, a real listener moved into each; the snapshot names each container, and --container finds
 * exactly its sockets. (No container runtime is needed: the kernel's cgroup is what PortReport reads.)
 */
const V2 = '/sys/fs/cgroup/unified';
const canCgroup = process.platform === 'linux' && process.getuid?.() === 0 && existsSync(join(V2, 'cgroup.procs'));

describe.runIf(canCgroup)('container identity of live processes in real cgroups', () => {
  const stamp = `${process.pid}${Date.now()}`.padStart(16, '0').slice(-16);
  const dockerId = `d0cce7${stamp}`.padEnd(64, 'e');
  const podUid = '1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718';
  const criId = `c71${stamp}`.padEnd(64, 'f');
  // docker's cgroupfs layout, /docker/<id>: its "docker" folder is made (and removed) by this test
  // only when absent; on a host with a real one the test uses a folder of its own name instead.
  const ownDocker = !existsSync(join(V2, 'docker'));
  const dirs = [
    [ownDocker ? 'docker' : `docker-pr-${stamp}`, dockerId],
    [`kubepods-pr-${stamp}.slice`, `kubepods-burstable-pod${podUid.replace(/-/g, '_')}.slice`, `cri-containerd-${criId}.scope`],
  ].map((parts) => ({ parts, path: join(V2, ...parts) }));
  const kids: ChildProcess[] = [];
  let ports: number[] = [];
  // The runtimes' name files, where this host has none of its own: the kubelet's log link name
  // for the CRI container, docker's config.v2.json for the docker one.
  const podLogs = '/var/log/containers';
  const ownPodLogs = !existsSync(podLogs);
  const podLog = join(podLogs, `api-1_prod_app-${criId}.log`);
  const ownDockerLib = ownDocker && !existsSync('/var/lib/docker');
  const dockerCfg = join('/var/lib/docker/containers', dockerId);

  beforeAll(async () => {
    for (const d of dirs) mkdirSync(d.path, { recursive: true });
    mkdirSync(podLogs, { recursive: true });
    writeFileSync(podLog, '');
    if (ownDockerLib) {
      mkdirSync(dockerCfg, { recursive: true });
      writeFileSync(join(dockerCfg, 'config.v2.json'), '{"Name":"/pr-web"}');
    }
    ports = await Promise.all(dirs.map((d) => new Promise<number>((resolve, reject) => {
      const k = spawn(process.execPath, [join(FIXTURES, 'listener.cjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
      kids.push(k);
      k.stdout!.once('data', (b: Buffer) => {
        const [pid, port] = b.toString().trim().split(' ').map(Number);
        try { writeFileSync(join(d.path, 'cgroup.procs'), String(pid)); resolve(port); } catch (e) { reject(e); }
      });
    })));
  });

  afterAll(async () => {
    for (const k of kids) k.stdin!.end();
    await Promise.all(kids.map((k) => new Promise((r) => (k.exitCode !== null ? r(null) : k.once('exit', r)))));
    for (const d of dirs) {
      for (let i = d.parts.length; i > 0; i--) { try { rmdirSync(join(V2, ...d.parts.slice(0, i))); } catch { /* a kept parent */ } }
    }
    rmSync(ownPodLogs ? podLogs : podLog, { recursive: true, force: true });
    if (ownDockerLib) rmSync('/var/lib/docker', { recursive: true, force: true });
  });

  it('names each container, its runtime and pod, and --container finds exactly its sockets', () => {
    const all = ndjson<ConnectionRecord>(runSidecar(['snapshot', '--state', 'listen', '--local-port', ports.join(',')]).stdout);
    const byPort = new Map(all.map((r) => [r.LocalPort, r.Linux!]));
    expect(byPort.get(ports[0])).toMatchObject(ownDocker ? { ContainerId: dockerId, ContainerRuntime: 'docker', PodUid: null }
      : { ContainerId: null, CgroupPath: `/${dirs[0].parts.join('/')}` });
    expect(byPort.get(ports[1])).toMatchObject({ ContainerId: criId, ContainerName: 'prod/api-1/app', ContainerRuntime: 'containerd', PodUid: podUid });
    if (ownDockerLib) expect(byPort.get(ports[0])).toMatchObject({ ContainerName: 'pr-web' });
    // By name, with wildcards, as docker ps and kubectl show them.
    expect(ndjson<ConnectionRecord>(runSidecar(['snapshot', '--container', 'prod/api-*']).stdout).map((r) => r.LocalPort)).toEqual([ports[1]]);
    const found = ndjson<ConnectionRecord>(runSidecar(['snapshot', '--container', criId.slice(0, 12)]).stdout);
    expect(found.map((r) => r.LocalPort)).toEqual([ports[1]]);
    expect(ndjson(runSidecar(['snapshot', '--container', podUid]).stdout)).toHaveLength(1);
    // Every other socket of this host is outside any container.
    const inAny = ndjson<ConnectionRecord>(runSidecar(['snapshot', '--container', '*']).stdout);
    expect(inAny.map((r) => r.LocalPort).sort()).toEqual((ownDocker ? ports : [ports[1]]).slice().sort());
  });
  it('the logger records each container in its logs, and the summary keys each container\'s listener apart', async () => {
    const logs = mkdtempSync(join(tmpdir(), 'portreport-containerlog-'));
    try {
      const w = startWatch(logs, ['--interval', '0.5', '--no-hash', '--no-gzip']);
      await w.nextFlush();
      // A connection to the CRI container's listener, held across a poll: its server end is logged as opened, by the container's process.
      const sock = connect(ports[1], '127.0.0.1');
      await new Promise((r) => sock.once('connect', r));
      await w.nextFlush();
      await w.nextFlush();
      sock.destroy();
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(0);
      const initial = readLogs(logs, 'initial').flatMap((f) => f.rows);
      expect(initial.find((r) => r.State === 'Listen' && Number(r.LocalPort) === ports[1])).toMatchObject({ LinuxContainerId: criId, LinuxContainerName: 'prod/api-1/app' });
      const opened = readLogs(logs, 'connections').flatMap((f) => f.rows).filter((r) => r.Event === 'Open' && Number(r.LocalPort) === ports[1]);
      expect(opened.length, 'the server end of the held connection').toBeGreaterThan(0);
      for (const r of opened) expect(r).toMatchObject({ ContainerId: criId, ContainerName: 'prod/api-1/app' });
      const procs = readLogs(logs, 'processes').flatMap((f) => f.rows).filter((r) => r.ContainerId === criId);
      expect(procs.map((r) => r.ContainerName)).toContain('prod/api-1/app');
      // Imported, the rows carry the container; summarized, each container's listener is its own row.
      const recs = ndjson<{ LocalPort: number; ContainerId: string | null; ContainerName: string | null }>(runSidecar(['import', logs, '--local-port', String(ports[1])]).stdout);
      expect(recs.length).toBeGreaterThan(0);
      expect(recs.every((r) => r.ContainerId === criId && r.ContainerName === 'prod/api-1/app')).toBe(true);
      const ports2 = ndjson<{ RecordType: string; LocalPort: number; Container: string | null }>(runSidecar(['summary', logs, '--report', 'port', '--format', 'ndjson']).stdout)
        .filter((r) => r.RecordType === 'PortSummary' && ports.includes(r.LocalPort));
      expect(ports2.find((r) => r.LocalPort === ports[1])?.Container).toBe('prod/api-1/app');
      if (ownDocker) expect(ports2.find((r) => r.LocalPort === ports[0])?.Container).toBe(ownDockerLib ? 'pr-web' : dockerId);
    } finally {
      rmSync(logs, { recursive: true, force: true });
    }
  }, 60_000);
});
