/**
 * Every network namespace's sockets: two namespaces made with `unshare --net` (loopback only),
 * each with a listener on the same port and a connected pair; the snapshot finds every socket with
 * its pid, process, user and namespace, keeps the equal ports apart, and --netns picks one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ConnectionRecord } from '../../../src/model/record.js';
import { otherNamespaces } from '../../../src/collect/linux/netns.js';
import { FIXTURES, ndjson, runSidecar, SIDECAR } from '../../helpers/procs.js';

const canUnshare = process.platform === 'linux' && process.getuid?.() === 0
  && spawnSync('unshare', ['--net', '--', 'true']).status === 0 && spawnSync('ip', ['-V']).status === 0;
const PORT = 20000 + (process.pid % 20000);

describe.runIf(canUnshare)('sockets in other network namespaces', () => {
  const kids: ChildProcess[] = [];
  const inside: { pid: number; clientPort: number; ns: string }[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      // The shell only brings loopback up inside the new namespace, then becomes the fixture.
      const k = spawn('unshare', ['--net', '--', 'sh', '-c', `ip link set lo up && exec "$0" "$1" "$2"`, process.execPath, join(FIXTURES, 'netns-pair.cjs'), String(PORT)],
        { stdio: ['pipe', 'pipe', 'inherit'] });
      kids.push(k);
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: k.stdout! }).once('line', resolve);
        k.once('exit', (c) => reject(new Error(`namespace fixture exited with ${c}`)));
      });
      const [, pid, , clientPort] = line.split(' ').map(Number);
      inside.push({ pid, clientPort, ns: readlinkSync(`/proc/${pid}/ns/net`) });
    }
  }, 30_000);

  afterAll(async () => {
    for (const k of kids) k.stdin!.end();
    await Promise.all(kids.map((k) => new Promise((r) => (k.exitCode !== null ? r(null) : k.once('exit', r)))));
  });

  it('finds the namespaces, one entry each', () => {
    const found = otherNamespaces(inside.map((x) => x.pid));
    expect(found.map((n) => n.id).sort()).toEqual(inside.map((x) => x.ns).sort());
    expect(new Set(inside.map((x) => x.ns)).size).toBe(2);
  });

  it.each([['two threads', {}], ['one thread', { PORTREPORT_THREADS: '1' }]])('finds every socket with pid, process, user and namespace (%s)', (_n, env) => {
    const all = ndjson<ConnectionRecord>(runSidecar(['snapshot', '--protocol', 'tcp'], { ...process.env, ...env }).stdout);
    for (const x of inside) {
      const mine = all.filter((r) => r.Linux?.NetNamespace === x.ns);
      const key = (r: ConnectionRecord) => `${r.State}|${r.LocalPort}|${r.RemotePort}`;
      expect(mine.map(key).sort()).toEqual([`Listen|${PORT}|0`, `Established|${PORT}|${x.clientPort}`, `Established|${x.clientPort}|${PORT}`].sort());
      for (const r of mine) expect(r).toMatchObject({ ProcessId: x.pid, ProcessName: 'node', UserName: 'root', OwnerStatus: 'Known' });
    }
  });

  it('keeps equal ports in two namespaces apart, and --netns picks one', () => {
    const listeners = ndjson<ConnectionRecord>(runSidecar(['snapshot', '--state', 'listen', '--local-port', String(PORT)]).stdout);
    expect(listeners.map((r) => r.Linux!.NetNamespace).sort()).toEqual(inside.map((x) => x.ns).sort());
    const one = ndjson<ConnectionRecord>(runSidecar(['snapshot', '--netns', inside[0].ns]).stdout);
    expect(one.length).toBe(3);
    expect(new Set(one.map((r) => r.ProcessId))).toEqual(new Set([inside[0].pid]));
    const byNumber = ndjson<ConnectionRecord>(runSidecar(['snapshot', '--netns', /\d+/.exec(inside[1].ns)![0]]).stdout);
    expect(new Set(byNumber.map((r) => r.ProcessId))).toEqual(new Set([inside[1].pid]));
  });
});

// The sidecar as root without capabilities: it may read its own files and root's /proc entries,
// but not enter a namespace (setns needs CAP_SYS_ADMIN), as for a user's own rootless container.
const NO_CAPS = ['--bounding-set=-all', '--inh-caps=-all'];
const canDropCaps = canUnshare && spawnSync('setpriv', [...NO_CAPS, 'true']).status === 0;

describe.runIf(canDropCaps)('a namespace the sidecar may not enter', () => {
  it('is one warning saying so, and the snapshot goes on', async () => {
    // Its process drops every capability too, so the capability-less sidecar may read its /proc entries.
    const k = spawn('unshare', ['--net', 'setpriv', ...NO_CAPS, 'sleep', '20'], { stdio: 'ignore' });
    try {
      // Until the process is in its new namespace (unshare and setpriv exec in place: one pid).
      const own = readlinkSync('/proc/self/ns/net');
      for (let i = 0; i < 100; i++) {
        let ns = own;
        try { ns = readlinkSync(`/proc/${k.pid}/ns/net`); } catch { /* not yet */ }
        if (ns !== own) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const r = spawnSync('setpriv', [...NO_CAPS, process.execPath, SIDECAR, 'snapshot', '--pid', '1', '--diagnostics', 'json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(r.status, r.stderr).toBe(0);
      const warnings = r.stderr.trim().split('\n').map((l) => JSON.parse(l)).filter((d) => d.Code === 'PR_NETNS_UNAVAILABLE');
      expect(warnings).toHaveLength(1);
      expect(warnings[0].Message).toMatch(/^\d+ network namespaces? could not be entered \(cannot enter .*errno 1\): net:\[\d+\] \(pid \d+\)/);
      expect(warnings[0].Message).toContain(`(pid ${k.pid})`);
    } finally {
      k.kill();
    }
  });
});
