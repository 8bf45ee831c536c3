/**
 * The streaming engine and DuckDB give identical summaries and findings on the same logs: our
 * connections (plain and gzip), initial and processes logs, genuine Port Reporter 1.x logs, and
 * hostile names (commas, quotes, newlines, formulas, escapes, non-UTF-8 bytes) that come back
 * exactly. Bad rows are skipped and reported with file, line and field by both.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { appendFileSync, copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { ConnectionRecord } from '../../src/model/record.js';
import { at, HOST, outbound, routine, seen, writeConnections, writeInitial, writeProcesses, type Who } from '../helpers/logs.js';
import { both, resultsOf, tempDir } from '../helpers/analyze.js';
import { FIXTURES } from '../helpers/procs.js';

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
  appendFileSync(file, `${at(9000)},Open,TCP,IPv4,10.0.0.5,notaport,192.0.2.1,443,Established,,1,,curl,/usr/bin/curl,alice,,,Known,,,,,,poll,,,${HOST},\n`);
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
