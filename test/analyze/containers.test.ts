/**
 * Summaries, detections and baselines keyed per container like per host (issue 14): on one host,
 * two containers and the host itself run the same program on the same port; each is its own
 * scope. A listener new to one container is a departure there even when another container (or
 * the host) has it in the baseline; both engines agree, and logs written before the container
 * columns still analyse as the host's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { baselineItems, BASELINE_FORMAT, BASELINE_VERSION, itemKey, readBaseline, writeBaseline, type Baseline } from '../../src/analyze/baseline.js';
import { at, inbound, listen, outbound, seen, writeConnections, writeProcesses, type Conn, type Proc, type Who } from '../helpers/logs.js';
import { both, tempDir } from '../helpers/analyze.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => { t = tempDir(); });
afterEach(() => t.cleanup());

const APP: Who = { pid: 40, name: 'app', path: '/usr/local/bin/app', user: 'root' };
const WEB = { ContainerId: 'a'.repeat(64), ContainerName: 'shop-web' };
// A container whose runtime keeps no name file: keyed by its id.
const API = { ContainerId: 'b'.repeat(64), ContainerName: null };
const HOSTONLY = { ContainerId: null, ContainerName: null };
type Where = typeof WEB | typeof API | typeof HOSTONLY;

const inside = <T extends Conn | Proc>(w: Where, row: T): T => ({ ...row, ...w });

/** A day of each scope: app listens on 8080 and serves, and fetches from 192.0.2.10:443. */
function day(d: number, scopes: Where[]): { conns: Conn[]; procs: Proc[] } {
  const conns: Conn[] = [];
  const procs: Proc[] = [];
  const s = d * 86400;
  for (const w of scopes) {
    conns.push(inside(w, listen(s, APP, 8080)));
    for (let i = 0; i < 40; i++) {
      conns.push(inside(w, inbound(s + 600 * i + 5, APP, 8080, `198.51.100.${1 + (i % 5)}`, 30000 + i)));
      conns.push(inside(w, outbound(s + 600 * i + 9, APP, '192.0.2.10', 443, 40000 + i)));
    }
    procs.push(inside(w, seen(s, APP, ['/usr/lib/libc.so.6'])));
  }
  return { conns, procs };
}

function write(name: string, days: { conns: Conn[]; procs: Proc[] }[]): string {
  const dir = join(t.dir, name);
  mkdirSync(dir);
  const conns = days.flatMap((x) => x.conns).sort((a, b) => String(a.Time).localeCompare(String(b.Time)));
  writeConnections(dir, '1', conns);
  writeProcesses(dir, '1', days.flatMap((x) => x.procs));
  return dir;
}

const scopeOf = (r: { Container?: unknown }) => r.Container ?? null;

describe('per-container scope', () => {
  it('keeps equal ports and processes of two containers and the host apart in every summary', async () => {
    const { summary } = await both([write('one', [day(0, [WEB, API, HOSTONLY])])]);
    const ports = summary.filter((r) => r.RecordType === 'PortSummary' && r.LocalPort === 8080);
    expect(ports.map(scopeOf).sort()).toEqual([API.ContainerId, 'shop-web', null].sort());
    for (const p of ports) expect(p).toMatchObject({ HostName: 'web01', Connections: 40, Processes: ['app'] });
    // Each scope's share of time is of its own active hours.
    for (const p of ports) expect(p.ShareOfTime).toBe(1);
    const procs = summary.filter((r) => r.RecordType === 'ProcessSummary' && r.ProcessName === 'app');
    expect(procs.map(scopeOf).sort()).toEqual([API.ContainerId, 'shop-web', null].sort());
    expect(procs.every((p) => p.Connections === 80)).toBe(true);
    const remotes = summary.filter((r) => r.RecordType === 'RemoteHostSummary' && r.RemoteAddress === '192.0.2.10');
    expect(remotes).toHaveLength(3);
    expect(summary.filter((r) => r.RecordType === 'ServiceSummary' || r.RecordType === 'ModuleSummary').every((r) => 'Container' in r)).toBe(true);
    expect(summary.filter((r) => r.RecordType === 'ModuleSummary').map(scopeOf).sort()).toEqual([API.ContainerId, 'shop-web', null].sort());
  });

  it('flags a listener new to one container though another container and the host have it in the baseline', async () => {
    const base = await both([write('base', [day(0, [WEB, HOSTONLY])])]);
    const baseline: Baseline = { Format: BASELINE_FORMAT, Version: BASELINE_VERSION, Created: at(86400), After: null, Before: null, Sources: [],
      Items: baselineItems(base.results) };
    // Written and read back as users keep it: the container survives the file.
    const file = join(t.dir, 'baseline.json');
    writeBaseline(file, baseline, false);
    const kept = readBaseline(file);
    expect(kept.Items.filter((i) => i.Kind === 'ListeningPort').map((i) => i.Container).sort()).toEqual(['shop-web', null].sort());
    // Day 2: the same routine in both, and container "api" (not in the baseline) starts the same app.
    const next = await both([write('next', [day(1, [WEB, HOSTONLY, API])])], { rules: ['baseline'], baseline: kept });
    const listeners = next.findings.filter((f) => f.Rule === 'NewListeningPort');
    expect(listeners).toHaveLength(1);
    expect(listeners[0]).toMatchObject({ HostName: 'web01', Container: API.ContainerId, ProcessName: 'app' });
    expect(next.findings.every((f) => f.Container === API.ContainerId)).toBe(true);
    expect(next.findings.map((f) => f.Rule).sort()).toEqual(['NewListeningPort', 'NewRemoteHost', 'NewServicePair', 'NewServicePair', 'NewUser']);
  });

  it('a baseline written before containers were recorded keys the host as it did', () => {
    const old = { Kind: 'ListeningPort', HostName: 'web01', ProcessName: 'app', UserName: null, Direction: null, Protocol: 'TCP', ServicePort: 8080, RemoteAddress: null } as const;
    expect(itemKey({ ...old, Container: null })).toBe(JSON.stringify(['ListeningPort', 'web01', 'app', 'TCP', 8080]));
    expect(itemKey({ ...old, Container: 'shop-web' })).not.toBe(itemKey({ ...old, Container: null }));
  });

  it('rare is judged against each container\'s own connections', async () => {
    // One connection among the host's thousands is rare there; the container's only peers are not.
    const host = day(0, [HOSTONLY]);
    for (let i = 0; i < 400; i++) host.conns.push(outbound(3000 + i, APP, '192.0.2.10', 443, 50000 + i));
    host.conns.push(outbound(5000, APP, '203.0.113.9', 443, 60000));
    const small = { conns: [inside(API, outbound(100, APP, '203.0.113.50', 443, 61000)), inside(API, outbound(200, APP, '203.0.113.50', 443, 61001))], procs: [] };
    const { findings } = await both([write('rare', [host, small])], { rules: ['rare'] });
    const rare = findings.filter((f) => f.Rule === 'RareRemoteHost');
    expect(rare.map((f) => [f.Container, f.Evidence.split(' ')[0]])).toEqual([[null, '203.0.113.9']]);
  });
});
