/**
 * What only a fleet shows (issue 15): 20 hosts with the same routine and one more with an extra
 * executable that reaches a remote host no other host contacts. Prevalence flags exactly those
 * two, naming the host, on ClickHouse (shipped to a real two-shard cluster) and on the log files
 * alike; a baseline learned for the host group (web=web*) judges the newcomer by every web
 * server's routine and names the remote host first seen in the fleet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../src/analyze/rules.js';
import { clickhouseReady, startCluster, type Cluster } from '../helpers/clickhouse.js';
import { outbound, routine, seen, writeConnections, writeProcesses, type Who } from '../helpers/logs.js';
import { ndjson, runSidecar } from '../helpers/procs.js';

const AGENT: Who = { pid: 7100, name: 'agent', path: '/opt/updater/agent', user: 'root' };
const ODD = 'web21';

let cl: Cluster;
const dirs: string[] = [];

beforeAll(() => {
  cl = startCluster();
  for (let i = 1; i <= 21; i++) {
    const host = `web${String(i).padStart(2, '0')}`;
    const dir = join(cl.dir, 'fleet', host);
    mkdirSync(dir, { recursive: true });
    const r = routine(3);
    const conns = [...r.conns];
    const procs = [...r.procs];
    if (host === ODD) {
      conns.push(...[0, 1, 2].map((k) => outbound(4000 + k * 997, AGENT, '203.0.113.66', 443, 50000 + k)));
      procs.push(seen(3990, AGENT, ['/usr/lib/x86_64-linux-gnu/libssl.so.3'], 'b'.repeat(64)));
    }
    writeConnections(dir, '20261102T000000000Z-1-0', conns.map((c) => ({ ...c, HostName: host })), true);
    writeProcesses(dir, '20261102T000000000Z-1-0', procs.map((p) => ({ ...p, HostName: host })), true);
    const s = runSidecar(['ship', dir, '--server', cl.servers[i % 2], '--host', host], cl.env);
    if (s.status !== 0) throw new Error(s.stderr);
    dirs.push(dir);
  }
}, 180_000);
afterAll(() => cl?.stop());

const findings = (args: string[]) => {
  const r = runSidecar(['detect', ...args, '--format', 'ndjson'], cl.env);
  expect(r.status, r.stderr).toBe(0);
  return ndjson<Finding>(r.stdout);
};

describe.runIf(clickhouseReady)('fleet prevalence', () => {
  it('flags exactly the extra executable and its remote host, with the host named, on ClickHouse and on the files', () => {
    const fleet = findings(['--clickhouse', cl.servers[0], '--rules', 'prevalence']);
    expect(fleet.map((f) => [f.Rule, f.HostName, f.ExecutablePath]).sort()).toEqual([
      ['FleetRareExecutable', ODD, AGENT.path],
      ['FleetRareRemoteHost', ODD, AGENT.path],
    ]);
    expect(fleet.find((f) => f.Rule === 'FleetRareRemoteHost')!.Evidence).toMatch(/203\.0\.113\.66 is on 1 of the fleet's 21 hosts \("web21"\)/);
    expect(findings([...dirs, '--rules', 'prevalence'])).toEqual(fleet);
    // The HTML report of the fleet carries them too (it runs the listeners' pairs for a fleet).
    const html = join(cl.dir, 'fleet.html');
    const rep = runSidecar(['report', '--clickhouse', cl.servers[1], '--html', html], cl.env);
    expect(rep.status, rep.stderr).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<td>FleetRareExecutable</td>');
    expect(page).toContain('<td>FleetRareRemoteHost</td>');
    // A smaller set of logs is no fleet: nothing to compare with.
    expect(findings([dirs[0], dirs[20], '--rules', 'prevalence'])).toEqual([]);
  }, 60_000);

  it('learns a baseline for a host group and judges the newcomer by it; a remote host first seen in the fleet is named', () => {
    const base = join(cl.dir, 'web.baseline.json');
    const learn = runSidecar(['baseline', '--clickhouse', cl.servers[1], '--hosts', 'web0*,web1*,web20', '--host-group', 'web=web*', '--out', base, '--format', 'ndjson'], cl.env);
    expect(learn.status, learn.stderr).toBe(0);
    const all = findings(['--clickhouse', cl.servers[0], '--rules', 'baseline', '--baseline', base, '--host-group', 'web=web*']);
    // The group's routine covers the routine on every host: only the newcomer's agent departs.
    expect([...new Set(all.map((f) => f.HostName))]).toEqual([ODD]);
    expect(all.map((f) => f.Rule).sort()).toEqual(['NewRemoteHost', 'NewServicePair'].sort());
    // Without the group the baseline's hosts are web01..web20 and web21 is new in everything; the fleet's first contact is named once.
    const ungrouped = findings(['--clickhouse', cl.servers[0], '--rules', 'baseline', '--baseline', base]);
    expect(ungrouped.filter((f) => f.Rule === 'FirstSeenInFleet')).toHaveLength(0);
    const fleetBase = join(cl.dir, 'fleet.baseline.json');
    expect(runSidecar(['baseline', '--clickhouse', cl.servers[1], '--hosts', 'web0*,web1*,web20', '--out', fleetBase], cl.env).status).toBe(0);
    const first = findings(['--clickhouse', cl.servers[0], '--rules', 'baseline', '--baseline', fleetBase]).filter((f) => f.Rule === 'FirstSeenInFleet');
    expect(first.map((f) => [f.HostName, f.Evidence.split(' ')[0]])).toEqual([[ODD, '203.0.113.66']]);
  }, 60_000);
});
