/**
 * The streaming engine and DuckDB give identical summaries and findings on the same logs: our
 * connections (plain and gzip), initial and processes logs, genuine Port Reporter 1.x logs, and
 * hostile names (commas, quotes, newlines, formulas, escapes, non-UTF-8 bytes) that come back
 * exactly. Bad rows are skipped and reported with file, line and field by both.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { appendFileSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { ConnectionRecord } from '../../src/model/record.js';
import { at, HOST, inbound, listen, NGINX, outbound, rawConnectionLine, routine, seen, SSHD, writeConnections, writeInitial, writeProcesses, type Who } from '../helpers/logs.js';
import { seeded } from '../helpers/random.js';
import { both, resultsOf, tempDir } from '../helpers/analyze.js';
import { FIXTURES, runSidecar } from '../helpers/procs.js';
import { loadSql } from '../../src/analyze/engine/load.js';
import { CONNECTION_LOG_COLUMNS } from '../../src/watch/logformat.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => { t = tempDir(); });
afterEach(() => t.cleanup());

const HOSTILE: Who[] = [
  { pid: 3001, name: 'we,ird "name"\nline2', path: '/opt/a,b/"q"/x', user: 'svc,acct' },
  { pid: 3002, name: '=HYPERLINK("http://x","y")', path: "/opt/'quoted", user: '+cmd|calc' },
  { pid: 3003, name: '\u001b[31mred\u001b[0m', path: '/tmp/\u001b]0;title\u0007', user: '-@user' },
  { pid: 3004, name: 'bad\udcff\udcfe', path: '/srv/na\u00efve-\u65e5\u672c/bin\udc80', user: 'r\u00f6ot' },
];

function initialRecord(w: Who, port: number): ConnectionRecord {
  return {
    Protocol: 'TCP', AddressFamily: 'IPv4', LocalAddress: '0.0.0.0', LocalPort: port, RemoteAddress: '0.0.0.0', RemotePort: 0, State: 'Listen',
    ProcessId: w.pid, ProcessName: w.name, ExecutablePath: w.path, CommandLine: w.path, ParentProcessId: 1, ProcessStartTime: at(0),
    UserName: w.user, UserId: '0', ServiceName: null, IsService: false, Modules: null, ExecutableSha256: null, BytesSent: null, BytesReceived: null,
    OwnerStatus: 'Known', HostName: HOST, ObservedAt: at(0), Platform: 'Linux', Linux: null,
  } as unknown as ConnectionRecord;
}

test('identical results on every kind of log, hostile names exact', async () => {
  const r = routine(6);
  writeConnections(t.dir, '1', r.conns.slice(0, 80));
  writeConnections(t.dir, '2', r.conns.slice(80), true);
  writeConnections(t.dir, '3', HOSTILE.flatMap((w, i) => [outbound(100 + i, w, '192.0.2.9', 443, 41000 + i), outbound(200 + i * 70, w, `192.0.2.${10 + i}`, 25, 42000 + i)]));
  writeProcesses(t.dir, '1', [...r.procs, ...HOSTILE.map((w) => seen(50, w, [`${w.path}.so`, '/lib/x,y.so']))]);
  writeInitial(t.dir, '0', HOSTILE.map((w, i) => initialRecord(w, 7000 + i)));
  for (const f of readdirSync(join(FIXTURES, 'legacy'))) copyFileSync(join(FIXTURES, 'legacy', f), join(t.dir, f));

  const { findings, summary, results } = await both([t.dir]);
  // Every hostile name, path and user came back exactly (as the importer decodes them).
  const procs = summary.filter((s) => s.RecordType === 'ProcessSummary');
  for (const w of HOSTILE) expect(procs).toContainEqual(expect.objectContaining({ ProcessName: w.name, ExecutablePath: w.path, UserName: w.user }));
  const mods = summary.filter((s) => s.RecordType === 'ModuleSummary').map((s) => s.Module);
  expect(mods).toEqual(expect.arrayContaining(HOSTILE.map((w) => `${w.path}.so`)));
  // Legacy rows are in (Port Reporter's host name and its svchost services).
  expect(results.get('hosts')!.map((h) => h.HostName)).toEqual(expect.arrayContaining([HOST]));
  expect(summary.some((s) => s.RecordType === 'ServiceSummary' && (s.Services as string[]).length > 1)).toBe(true);
  expect(findings.some((f) => f.Rule === 'SuspiciousPath' && f.ExecutablePath === HOSTILE[2].path)).toBe(true);
  expect(summary.length).toBeGreaterThan(30);
});

test('a bad field is skipped and reported with file, line and field by both engines', async () => {
  const r = routine(2);
  const file = writeConnections(t.dir, '1', r.conns);
  const lines = r.conns.length + 1;
  appendFileSync(file, `${rawConnectionLine({ Time: at(9000), Event: 'Open', Protocol: 'TCP', AddressFamily: 'IPv4', LocalAddress: '10.0.0.5', LocalPort: 'notaport',
    RemoteAddress: '192.0.2.1', RemotePort: 443, State: 'Established', ProcessId: 1, ProcessName: 'curl', ExecutablePath: '/usr/bin/curl', UserName: 'alice',
    OwnerStatus: 'Known', Source: 'poll', HostName: HOST })}\n`);
  for (const engine of ['stream', 'duckdb'] as const) {
    const diags: Diagnostic[] = [];
    const res = await resultsOf([t.dir], engine, [null, null], diags);
    expect(res.get('hosts')![0].Events, engine).toBe(r.conns.length);
    const bad = diags.filter((d) => d.Level === 'warning');
    expect(bad, engine).toHaveLength(1);
    expect(bad[0].Message, engine).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${lines + 1}: LocalPort: `));
  }
});

test('hostile inputs the engines once disagreed on: a file named like a glob, NUL, bytes 0x80-0x9F, impossible times', async () => {
  const r = routine(2);
  writeConnections(t.dir, '1', r.conns);
  // A file literally named with * among its neighbours: it is that one file, not a pattern.
  writeConnections(t.dir, '*', r.conns.slice(0, 5));
  writeConnections(t.dir, '[1]', r.conns.slice(0, 3));
  const odd: Who = { pid: 4001, name: 'nul\u0000name\udc9b\udc80', path: '/opt/\udc85bin/x', user: 'u\u0000' };
  writeConnections(t.dir, '2', [outbound(10, odd, '192.0.2.77', 443, 43000), { ...outbound(11, odd, '192.0.2.77', 443, 43001), HostName: 'h\u0000st' }]);
  // Times that are not times: 30 February, hour 25, text. Both engines skip and report each row.
  const bad = writeConnections(t.dir, '3', [outbound(20, odd, '192.0.2.78', 443, 43002), { ...outbound(21, odd, '192.0.2.78', 443, 43003), Time: '2026-02-30T00:00:00.000Z' },
    { ...outbound(22, odd, '192.0.2.78', 443, 43004), Time: '2026-11-02T25:00:00Z' }, { ...outbound(23, odd, '192.0.2.78', 443, 43005), Time: 'yesterday' }]);
  const { results } = await both([t.dir]);
  expect(results.get('hosts')!.reduce((n, h) => n + (h.Events as number), 0)).toBe(r.conns.length + 5 + 3 + 2 + 1);
  for (const engine of ['stream', 'duckdb'] as const) {
    const diags: Diagnostic[] = [];
    await resultsOf([t.dir], engine, [null, null], diags);
    const times = diags.filter((d) => d.Level === 'warning' && d.Message.startsWith(`${bad}:`)).map((d) => /:(\d+): Time:/.exec(d.Message)?.[1]);
    expect(times, engine).toEqual(['3', '4', '5']);
  }
});

test('on several MB of logs, the automatic switch to DuckDB (threshold forced low) answers byte for byte as streaming does', () => {
  // 3 days, 60 processes (4 hostile), 300 remote hosts, inbound and outbound: about 6 MB of logs.
  const { seed, next } = seeded();
  console.log(`engines on several MB: seed ${seed}`);
  const who: Who[] = [...HOSTILE, ...Array.from({ length: 56 }, (_, i) => ({ pid: 5000 + i, name: `app${i}`, path: `/opt/app${i}/bin/app${i}`, user: `u${i % 9}` }))];
  const rows = [listen(1, NGINX, 443), listen(1, SSHD, 22)];
  let eph = 20000;
  for (let i = 0; i < 26000; i++) {
    const t = Math.floor(next() * 3 * 86400);
    const host = `198.51.${Math.floor(next() * 3)}.${1 + Math.floor(next() * 100)}`;
    if (next() < 0.3) rows.push(inbound(t, next() < 0.5 ? NGINX : SSHD, next() < 0.5 ? 443 : 22, host, eph++ % 60000 + 1024));
    else rows.push(outbound(t, who[Math.floor(next() * who.length)], host, [443, 80, 25, 8443][Math.floor(next() * 4)], eph++ % 60000 + 1024));
  }
  // And a few things to find: one-off processes in /tmp talking once to hosts seen once.
  for (let i = 0; i < 10; i++) rows.push(outbound(Math.floor(next() * 3 * 86400), { pid: 9000 + i, name: `rare${i}`, path: `/tmp/rare${i}`, user: 'nobody' }, `203.0.113.${i + 1}`, 443, 61000 + i));
  rows.sort((a, b) => String(a.Time).localeCompare(String(b.Time)));
  writeConnections(t.dir, '20261102T000000Z-1-1', rows.slice(0, 2000), true);
  writeConnections(t.dir, '20261102T060000Z-1-2', rows.slice(2000));
  writeProcesses(t.dir, '20261102T000000Z-1-1', who.map((w) => seen(0, w, ['/usr/lib/libc.so.6'])));
  const size = readdirSync(t.dir).reduce((n, f) => n + statSync(join(t.dir, f)).size, 0);
  expect(size).toBeGreaterThan(4 << 20);
  const run = (cmd: string[], threshold?: number) => {
    const env = { ...process.env };
    if (threshold === undefined) delete env.PORTREPORT_DUCKDB_MIN_BYTES; else env.PORTREPORT_DUCKDB_MIN_BYTES = String(threshold);
    const r = runSidecar([...cmd, t.dir, '--format', 'ndjson', '--diagnostics', 'json'], env);
    expect(r.status, r.stderr).toBe(0);
    const engine = r.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((d) => d.Code === 'PR_ENGINE')?.Message;
    return { out: r.stdout.toString('utf8'), engine };
  };
  for (const cmd of [['summary'], ['detect', '--rare-max', '3']]) {
    const stream = run(cmd);
    const duck = run(cmd, 1 << 20);
    expect(stream.engine).toMatch(/stream/);
    expect(duck.engine).toMatch(/duckdb/i);
    expect(duck.out.split('\n').length).toBeGreaterThan(cmd[0] === 'summary' ? 300 : 20);
    expect(duck.out).toBe(stream.out);
  }
}, 120_000);

test('connections logs written before the LinuxNetNamespace and the container columns read the same on both engines', async () => {
  const r = routine(2);
  const current = writeConnections(t.dir, 'new', r.conns);
  const want = await resultsOf([current], 'stream');
  const text = readFileSync(current, 'utf8');
  expect(text.split('\n')[0].endsWith(',LinuxNetNamespace,ContainerId,ContainerName')).toBe(true);
  expect(loadSql('connections', current, false, text.split('\n')[0])).toContain('ContainerName');
  // The same log as the first release wrote it (ending at Message), and as the next one did (ending at LinuxNetNamespace).
  for (const [name, dropped] of [['first', 3], ['second', 2]] as const) {
    const old = join(t.dir, name, 'portreport-connections-v1-old.csv');
    mkdirSync(join(t.dir, name));
    const cut = (l: string) => l.split(',').slice(0, -dropped).join(',');
    writeFileSync(old, text.split('\n').map((l) => (l === '' ? l : cut(l))).join('\n'));
    // DuckDB's reader is given the file's own columns (a wrong count would leave it to the importer).
    const oldHeader = readFileSync(old, 'utf8').split('\n')[0];
    expect(oldHeader.split(',')).toHaveLength(CONNECTION_LOG_COLUMNS.length - dropped);
    expect(loadSql('connections', old, false, oldHeader)).not.toContain('"ContainerName"');
    for (const engine of ['stream', 'duckdb'] as const) {
      const diags: Diagnostic[] = [];
      expect(await resultsOf([old], engine, [null, null], diags), `${name} ${engine}`).toEqual(want);
      expect(diags.filter((d) => d.Level !== 'verbose'), engine).toEqual([]);
    }
  }
});
