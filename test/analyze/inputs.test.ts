/**
 * Files users are handed: baselines and NDJSON records with wrong-typed fields are refused with the
 * file and field named (never "Cannot convert object to primitive value", never false findings).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaselineError, readBaseline } from '../../src/analyze/baseline.js';
import { analyze, openEngine, recordProblem } from '../../src/analyze/run.js';
import { buildSummary, queriesFor } from '../../src/analyze/summary.js';
import type { Results } from '../../src/analyze/results.js';
import { routine, writeConnections, writeProcesses } from '../helpers/logs.js';
import { tempDir } from '../helpers/analyze.js';
import { runSidecar } from '../helpers/procs.js';

const dir = mkdtempSync(join(tmpdir(), 'portreport-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = { Kind: 'ListeningPort', HostName: 'web01', ProcessName: 'nginx', UserName: null, Direction: 'Listen', Protocol: 'TCP', ServicePort: 443, RemoteAddress: null, Count: 3, FirstSeen: '2026-11-02T00:00:00.000Z', LastSeen: '2026-11-02T01:00:00.000Z' };
const baseline = (items: unknown[], extra: Record<string, unknown> = {}) => {
  const f = join(dir, `b${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(f, JSON.stringify({ Format: 'PortReport.Baseline', Version: 1, Created: '2026-11-03T00:00:00.000Z', After: null, Before: '2026-11-28', Sources: [], Items: items, ...extra }));
  return f;
};

describe('readBaseline', () => {
  it('reads a good baseline', () => {
    expect(readBaseline(baseline([good])).Items).toHaveLength(1);
  });

  const raw = (text: string) => { const f = join(dir, `r${Math.random().toString(36).slice(2)}.json`); writeFileSync(f, text); return f; };
  const item = JSON.stringify(good);
  it.each([
    ['a port as text', item.replace('"ServicePort":443', '"ServicePort":"22"'), 'item 1: field ServicePort: not a port number (0-65535) or null'],
    ['a port past any number', item.replace('"ServicePort":443', '"ServicePort":1e400'), 'item 1: field ServicePort: not a port number (0-65535) or null'],
    ['an object as a name', item.replace('"ProcessName":"nginx"', '"ProcessName":{"toString":1}'), 'item 1: field ProcessName: not text or null'],
    ['a count as text', item.replace('"Count":3', '"Count":"many"'), 'item 1: field Count: not a count (a number, 0 or more)'],
    ['a time that is not one', item.replace('"FirstSeen":"2026-11-02T00:00:00.000Z"', '"FirstSeen":"yesterday"'), 'item 1: field FirstSeen: not an ISO-8601 time or null'],
    ['an item that is not an object', '42', 'item 1: field Kind: the item is not an object'],
  ])('refuses %s, naming file, item and field', (_what, itemText, message) => {
    const f = raw(`{"Format":"PortReport.Baseline","Version":1,"Created":"2026-11-03T00:00:00.000Z","After":null,"Before":null,"Sources":[],"Items":[${itemText}]}`);
    expect(() => readBaseline(f)).toThrow(BaselineError);
    expect(() => readBaseline(f)).toThrow(`${f}: ${message}`);
  });

  it('refuses an object as its creation time', () => {
    const f = raw(`{"Format":"PortReport.Baseline","Version":1,"Created":{"x":1},"Items":[${item}]}`);
    expect(() => readBaseline(f)).toThrow(`${f}: field Created: not an ISO-8601 time`);
  });

  it('detect with a wrong-typed baseline fails clearly, with no findings', () => {
    const f = baseline([{ ...good, ServicePort: '22' }]);
    const r = runSidecar(['detect', '--live', '--baseline', f]);
    expect(r.status).not.toBe(0);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toContain(`${f}: item 1: field ServicePort`);
  });
});

describe('NDJSON records', () => {
  it('names the first wrong-typed field', () => {
    expect(recordProblem({ RecordType: 'LogRecord', ProcessName: 'x', LocalPort: 1, Modules: ['a'], IsService: false, Linux: { Inode: 1 } })).toBe(null);
    expect(recordProblem({ RecordType: 'LogRecord', ProcessName: { a: 1 } })).toBe('field ProcessName: not text');
    expect(recordProblem({ LocalPort: '22' })).toBe('field LocalPort: not a number');
    expect(recordProblem({ Modules: [1] })).toBe('field Modules: not a list of paths');
  });

  it('skips such a record with file and line, and analyses the rest', () => {
    const f = join(dir, 'records.ndjson');
    const rec = { RecordType: 'LogRecord', Time: '2026-11-02T00:00:00.000Z', Event: 'Open', Protocol: 'TCP', LocalAddress: '10.0.0.5', LocalPort: 51000, RemoteAddress: '192.0.2.9', RemotePort: 443, State: 'Established', ProcessId: 5, ProcessName: 'curl', ExecutablePath: '/usr/bin/curl', UserName: 'bob', HostName: 'h' };
    writeFileSync(f, [JSON.stringify(rec), JSON.stringify({ ...rec, ProcessName: { evil: true } }), '[1,2]'].join('\n') + '\n');
    const r = runSidecar(['summary', '--input', f, '--report', 'process', '--diagnostics', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const warnings = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as { Code: string; Message: string }).filter((d) => d.Code === 'PR_INPUT_BAD_RECORD');
    expect(warnings.map((w) => w.Message)).toEqual([`${f}:2: field ProcessName: not text; skipped`, `${f}:3: not a JSON object; skipped`]);
    expect(r.stdout.toString()).toContain('"ProcessName":"curl"');
  });
});

describe('files named on the command line', () => {
  it('a FIFO as baseline or watch list is refused at once, not waited on', async () => {
    const { spawnSync } = await import('node:child_process');
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const t0 = Date.now();
    expect(() => readBaseline(fifo)).toThrow(/not a regular file/);
    const r = runSidecar(['detect', '--live', '--watch-list', fifo]);
    expect(r.stderr).toMatch(/cannot read the watch list \(not a regular file/);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('a 40,000-character watch-list value is matched, and a bad line is reported for its line only', () => {
    const f = join(dir, 'watch.txt');
    writeFileSync(f, `process: ${'a'.repeat(40_000)}\npath: ${'*a'.repeat(20_000)}b\nport: 99999\nprocess: node*\n`);
    const r = runSidecar(['detect', '--live', '--watch-list', f, '--rules', 'watchlist', '--diagnostics', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const warnings = r.stderr.trim().split('\n').filter((l) => l).map((l) => JSON.parse(l) as { Code: string; Message: string }).filter((d) => d.Code === 'PR_WATCHLIST_BAD_ENTRY');
    expect(warnings.map((w) => w.Message)).toEqual([`${f}:3: field port: "99999" is not a port number (0-65535); entry skipped`]);
  });
});

describe('a summary of some reports', () => {
  it('runs only the queries those reports read, and gives the same rows as a summary of all', async () => {
    const t = tempDir();
    try {
      const r = routine(6);
      writeConnections(t.dir, '1', r.conns);
      writeProcesses(t.dir, '1', r.procs);
      for (const engine of ['stream', 'duckdb'] as const) {
        const e = await openEngine({ paths: [t.dir], live: false, ndjson: null, strict: false }, engine, () => {});
        let some: Results; let all: Results;
        try { some = await analyze(e, null, null, queriesFor(['port'])); all = await analyze(e, null, null); } finally { await e.close(); }
        expect([...some.keys()].sort()).toEqual(['hosts', 'listeners', 'ports']);
        expect([...all.keys()].length).toBeGreaterThan(6);
        expect(buildSummary(some, ['port'])).toEqual(buildSummary(all, ['port']));
        expect(buildSummary(some, ['port']).length).toBeGreaterThan(0);
      }
    } finally { t.cleanup(); }
  });
});
