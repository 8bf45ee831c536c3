/**
 * The same analyses on ClickHouse (issue 15): logs of two hosts, hostile names included, shipped
 * to a real two-shard cluster on 127.0.0.1; every aggregation, the summary, the detections and a
 * baseline comparison give exactly what the embedded engine gives on the same log files, across
 * all hosts and for a chosen one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { ConnectionRecord } from '../../src/model/record.js';
import { analyze, openEngine } from '../../src/analyze/run.js';
import { ClickHouse, targetFrom } from '../../src/fleet/clickhouse/client.js';
import { BASELINE_FORMAT, BASELINE_VERSION, baselineItems, type Baseline } from '../../src/analyze/baseline.js';
import { detect } from '../../src/analyze/rules.js';
import { buildSummary, REPORTS } from '../../src/analyze/summary.js';
import type { Results } from '../../src/analyze/results.js';
import { clickhouseReady, startCluster, type Cluster } from '../helpers/clickhouse.js';
import { detectOpts, resultsOf } from '../helpers/analyze.js';
import { at, outbound, routine, seen, writeConnections, writeInitial, writeProcesses, type Conn, type Who } from '../helpers/logs.js';
import { runSidecar } from '../helpers/procs.js';

const HOSTILE: Who[] = [
  { pid: 3001, name: 'we,ird "name"\nline2', path: '/opt/a,b/"q"/x', user: 'svc,acct' },
  { pid: 3002, name: '=HYPERLINK("http://x","y")', path: "/tmp/'quoted\\N", user: '+cmd|calc' },
  { pid: 3004, name: 'bad\udcff\udcfe', path: '/srv/na\u00efve-\u65e5\u672c/bin\udc80', user: 'r\u00f6ot' },
];

let cl: Cluster;
let dirs: Record<string, string>;

function initial(w: Who, port: number, host: string): ConnectionRecord {
  return {
    Protocol: 'TCP', AddressFamily: 'IPv4', LocalAddress: '0.0.0.0', LocalPort: port, RemoteAddress: '0.0.0.0', RemotePort: 0, State: 'Listen',
    ProcessId: w.pid, ProcessName: w.name, ExecutablePath: w.path, CommandLine: w.path, ParentProcessId: 1, ProcessStartTime: at(0),
    UserName: w.user, UserId: '0', ServiceName: null, IsService: false, Modules: null, ExecutableSha256: null, BytesSent: null, BytesReceived: null,
    OwnerStatus: 'Known', HostName: host, ObservedAt: at(0), Platform: 'Linux',
    Linux: { Inode: 1, Cookie: null, SocketUid: 0, CgroupPath: null, NetNamespace: null, ContainerId: 'c'.repeat(64), ContainerName: 'shop-web', ContainerRuntime: 'docker', PodUid: null, Source: 'netlink' },
  } as ConnectionRecord;
}

function hostDir(host: string, hours: number, extra: Conn[]): string {
  const dir = join(cl.dir, 'logs', host);
  mkdirSync(dir, { recursive: true });
  const r = routine(hours);
  const mine = (c: Conn): Conn => ({ ...c, HostName: host });
  writeConnections(dir, '20261102T000000000Z-1-0', r.conns.slice(0, 100).map(mine), true);
  writeConnections(dir, '20261102T060000000Z-1-1', [...r.conns.slice(100), ...extra].map(mine));
  writeProcesses(dir, '20261102T000000000Z-1-0', [...r.procs, ...HOSTILE.map((w) => seen(50, w, [`${w.path}.so`, '/lib/x,y.so']))].map((p) => ({ ...p, HostName: host })));
  writeInitial(dir, '20261102T000000000Z-1-0', HOSTILE.map((w, i) => initial(w, 7000 + i, host)));
  const s = runSidecar(['ship', dir, '--server', cl.servers[0], '--host', host, '--diagnostics', 'json'], cl.env);
  if (s.status !== 0) throw new Error(s.stderr);
  return dir;
}

async function onClickHouse(hosts: string[], range: [number | null, number | null] = [null, null]): Promise<Results> {
  const diags: Diagnostic[] = [];
  const ch = new ClickHouse(targetFrom(cl.servers[1], 'portreport', null, cl.env));
  const e = await openEngine({ paths: [], live: false, ndjson: null, strict: false, clickhouse: { ch, hosts } }, 'auto', (d) => diags.push(d));
  try { return await analyze(e, range[0], range[1]); } finally { await e.close(); }
}

beforeAll(() => {
  cl = startCluster();
  const odd = HOSTILE.flatMap((w, i) => [outbound(100 + i, w, '192.0.2.9', 443, 41000 + i), outbound(200 + i * 70, w, `::ffff:192.0.2.${10 + i}`, 25, 42000 + i)]);
  // A beacon: every 60 s, 12 times, from a hostile name.
  const beacon = Array.from({ length: 12 }, (_, i) => outbound(9000 + i * 60, HOSTILE[0], '198.51.100.99', 8443, 43000 + i));
  dirs = { web01: hostDir('web01', 8, [...odd, ...beacon]), db02: hostDir('db02', 4, odd.slice(0, 2)) };
}, 120_000);
afterAll(() => cl?.stop());

describe.runIf(clickhouseReady)('the analyses on ClickHouse', () => {
  it('give every aggregation, summary and finding the embedded engine gives, across all hosts and for one', async () => {
    const all = await onClickHouse([]);
    const local = await resultsOf(Object.values(dirs), 'stream');
    expect(Object.fromEntries(all)).toEqual(Object.fromEntries(local));
    expect([...new Set(all.get('hosts')!.map((h) => h.HostName))].sort()).toEqual(['db02', 'web01']);
    expect(all.get('hosts')!.some((h) => h.Container === 'shop-web')).toBe(true);
    expect(buildSummary(all, REPORTS)).toEqual(buildSummary(local, REPORTS));
    const findings = detect(all, detectOpts());
    expect(findings).toEqual(detect(local, detectOpts()));
    expect(findings.map((f) => f.Rule)).toEqual(expect.arrayContaining(['Beaconing', 'SuspiciousPath']));
    // One host, by a wildcard.
    const one = await onClickHouse(['web*']);
    expect(Object.fromEntries(one)).toEqual(Object.fromEntries(await resultsOf([dirs.web01], 'stream')));
    // A time range.
    const range: [number, number] = [Date.parse(at(3600)), Date.parse(at(4 * 3600))];
    expect(Object.fromEntries(await onClickHouse([], range))).toEqual(Object.fromEntries(await resultsOf(Object.values(dirs), 'stream', range)));
  }, 120_000);

  it('compare with a baseline as the embedded engine does', async () => {
    const learn = await resultsOf([dirs.db02], 'stream');
    const baseline: Baseline = { Format: BASELINE_FORMAT, Version: BASELINE_VERSION, Created: at(0), After: null, Before: null, Sources: [], Items: baselineItems(learn) };
    const o = detectOpts({ rules: ['baseline'], baseline });
    const departures = detect(await onClickHouse([]), o);
    expect(departures).toEqual(detect(await resultsOf(Object.values(dirs), 'stream'), o));
    expect(departures.length).toBeGreaterThan(0);
  }, 60_000);

  it('runs from the command line: portreport summary --clickhouse, the password from the environment', () => {
    const r = runSidecar(['summary', '--clickhouse', cl.servers[0], '--hosts', 'db02', '--report', 'port', '--format', 'ndjson'], cl.env);
    expect(r.status, r.stderr).toBe(0);
    const l = runSidecar(['summary', dirs.db02, '--report', 'port', '--format', 'ndjson']);
    expect(r.stdout.toString()).toBe(l.stdout.toString());
    expect(r.stdout.toString()).toContain('PortSummary');
  });
});
