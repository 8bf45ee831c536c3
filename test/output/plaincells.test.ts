/**
 * The rows written straight from plain lines (src/output/plaincells.ts, packedplain.ts,
 * ndjsonplain.ts) against the record path they stand in for: the same bytes out and the same
 * warnings for every log, however odd its rows, in the packed and the readable NDJSON form, and the
 * direct path really taken for the plain ones (and refused for each kind of odd row).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECTION_LOG_COLUMNS, CONNECTIONS_LOG } from '../../src/watch/logformat.js';
import { RowConverter } from '../../src/import/ourlogs.js';
import { PackedLogSerializer } from '../../src/output/packedlog.js';
import { PlainPackedRows } from '../../src/output/packedplain.js';
import { PlainNdjsonRows } from '../../src/output/ndjsonplain.js';
import { runSidecar } from '../helpers/procs.js';

const root = mkdtempSync(join(tmpdir(), 'portreport-packedplain-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const COLS = CONNECTION_LOG_COLUMNS;
function row(i: number, set: Record<string, string> = {}, cols = COLS): string {
  const t = new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString();
  const v: Record<string, string> = {
    Time: t, Event: i % 3 ? 'Close' : 'Open', Protocol: 'TCP', AddressFamily: 'IPv4', LocalAddress: `10.0.0.${i % 5}`, LocalPort: String(443 + (i % 2)),
    RemoteAddress: `192.168.1.${i % 7}`, RemotePort: String(40000 + i), State: 'Closed', PreviousState: 'Established', ProcessId: String(100 + (i % 3)),
    ProcessStartTime: '2026-11-01T00:00:00.000Z', ProcessName: `app${i % 3}`, ExecutablePath: `/usr/bin/app${i % 3}`, UserName: 'svc', UserId: '990',
    ServiceName: 'app.service', OwnerStatus: 'Known', FirstSeen: t, LastSeen: t, DurationSeconds: '1.5', BytesSent: String(i), BytesReceived: '7',
    Source: 'destroy', Cookie: String(i), Inode: '0', HostName: 'web01', Message: '', LinuxNetNamespace: 'net:[4026531840]', ContainerId: '', ContainerName: '',
    ...set,
  };
  return cols.map((c) => v[c] ?? '').join(',') + '\n';
}

/** Rows the fast path must leave to the record path, each with why. */
const ODD: [string, Record<string, string> | string][] = [
  ['a formula guard', { ProcessName: "'=cmd|calc" }], ['an apostrophe', { UserName: "o'brien" }], ['a backslash', { ExecutablePath: 'C:\\x\\y.exe' }],
  ['a byte above 0x7f', { ProcessName: 'pyth\xf6n' }], ['bytes that are not UTF-8', { ProcessName: 'bad\xff\xfe' }], ['a control character', { Message: 'a\x01b' }],
  ['an escape', { ProcessName: 'red\x1b[31m' }], ['DEL', { UserName: 'x\x7fy' }], ['a tab', { Message: 'a\tb' }],
  ['a number that is not one', { RemotePort: 'abc' }], ['an infinite number', { BytesSent: '1e999' }], ['a pid that is not a number', { ProcessId: 'x1' }],
  ['a time that is not one', { Time: '2026-02-30T00:00:00.000Z' }], ['too few fields', 'short,row\n'],
];
/** Rows it takes, though they look odd: numbers written other than String(n) writes them, other times, empty cells. */
const TAKEN: [string, Record<string, string>][] = [
  ['padded and signed numbers', { LocalPort: '0443', RemotePort: ' 40000', BytesSent: '+12', BytesReceived: '-0' }],
  ['exponents and hex', { BytesSent: '1e3', BytesReceived: '0x10', DurationSeconds: '1.50' }], ['a huge number', { BytesSent: '99999999999999999999' }],
  ['an offset time', { Time: '2026-11-01T02:00:00.000+02:00' }], ['no time', { Time: '' }], ['no event', { Event: '' }],
  ['no process', { ProcessId: '', ProcessName: '', ExecutablePath: '', UserName: '' }], ['markup', { ProcessName: '<script>alert(1)</script>', Message: '"><img onerror=x>'.replace(/"/g, '') }],
  ['the same pid, another process', { ProcessId: '100', ProcessName: 'other', ExecutablePath: '/tmp/other' }], ['a container', { ContainerId: 'c'.repeat(64), ContainerName: 'prod/api' }],
];

function log(name: string, body: string, header = CONNECTIONS_LOG.header): string {
  const file = join(root, `portreport-connections-v1-${name}.csv`);
  writeFileSync(file, Buffer.from(header + body, 'latin1'));
  return file;
}

const imported = (files: string[], plain: boolean, extra: string[] = [], format = 'packed') => {
  const r = runSidecar(['import', ...files, '--format', format, '--engine', 'stream', '--diagnostics', 'json', ...extra],
    { ...process.env, PORTREPORT_PLAIN_ROWS: plain ? '1' : '0' });
  return { status: r.status, stdout: r.stdout.toString('latin1'), stderr: r.stderr.split('\n').filter((l) => l && !l.includes('PR_IMPORT_DONE')).join('\n') };
};

describe('packed rows from plain lines', () => {
  it('write exactly what the record path writes, with the same warnings, for odd rows, several files, older headers and a quoted line', () => {
    let i = 0;
    const body = [...Array.from({ length: 50 }, () => row(i++)), ...ODD.map(([, s]) => (typeof s === 'string' ? s : row(i++, s))),
      ...TAKEN.map(([, s]) => row(i++, s)), row(i++, { ProcessName: '"quoted, with a comma"' }), ...Array.from({ length: 50 }, () => row(i++))].join('');
    const old = COLS.slice(0, COLS.indexOf('Message') + 1);
    const files = [
      log('a', body), log('b', Array.from({ length: 30 }, (_, k) => row(k)).join('')),
      log('old', Array.from({ length: 30 }, (_, k) => row(k, {}, old)).join(''), `${old.join(',')}\n`), log('c', body),
    ];
    const fast = imported(files, true);
    const slow = imported(files, false);
    expect(fast.status).toBe(slow.status);
    expect(fast.stderr).toBe(slow.stderr);
    expect(slow.stderr).toContain('PR_IMPORT_BAD_FIELD');
    expect(fast.stdout).toBe(slow.stdout);
    expect(fast.stdout.split('\n').filter((l) => l.startsWith('[')).length).toBe(2 * (50 + 50 + TAKEN.length + 1 + ODD.length - 5) + 60);
    // A filter turns the fast path off: the same rows as the record path still.
    expect(imported(files, true, ['--process', 'app1']).stdout).toBe(imported(files, false, ['--process', 'app1']).stdout);
    // The readable NDJSON, the same way.
    const fastJson = imported(files, true, [], 'ndjson');
    const slowJson = imported(files, false, [], 'ndjson');
    expect(fastJson.stderr).toBe(slowJson.stderr);
    expect(fastJson.stdout).toBe(slowJson.stdout);
    expect(fastJson.stdout.split('\n').length - 1).toBe(2 * (50 + 50 + TAKEN.length + 1 + ODD.length - 5) + 60);
  });

  it('writes the record path\'s NDJSON for a plain row, key for key, and leaves each odd one to it', () => {
    const header = CONNECTIONS_LOG.header.trim().split(',');
    const conv = new RowConverter('connections', header, '/x/portreport-connections-v1-"a".csv');
    const plain = new PlainNdjsonRows();
    const offer = (text: string, line: number) => { const raw = text.replace(/\n$/, ''); return plain.text(raw.split(','), line, raw, conv); };
    for (const [why, s] of [['plain', {}] as [string, Record<string, string>], ...TAKEN]) {
      const text = row(5, s).replace(/\n$/, '');
      expect(offer(text, 4), why).toBe(`${JSON.stringify(conv.convert(text.split(','), 4, text))}\n`);
    }
    for (const [why, s] of ODD) expect(offer(typeof s === 'string' ? s : row(5, s), 4), why).toBeNull();
  });

  it('takes plain rows and leaves each odd one to the record path', () => {
    const header = CONNECTIONS_LOG.header.trim().split(',');
    const conv = new RowConverter('connections', header, '/x/portreport-connections-v1-a.csv');
    const plain = new PlainPackedRows(new PackedLogSerializer());
    const offer = (text: string, line: number) => { const raw = text.replace(/\n$/, ''); return plain.text(raw.split(','), line, raw, conv); };
    const first = offer(row(0), 2);
    expect(first, 'the context and the entry come first').toMatch(/^\{"Packed":2,.*\n\{"ProcessId":100,.*\n\[1,"2026-11-01T00:00:00.000Z","Open",/);
    expect(offer(row(3), 3), 'the same process: the row alone').toMatch(/^\[1,"2026-11-01T00:00:03.000Z","Open","TCP","IPv4","10.0.0.3",444,"192.168.1.3",40003,/);
    for (const [why, s] of TAKEN) expect(offer(row(5, s), 4), why).not.toBeNull();
    for (const [why, s] of ODD) expect(offer(typeof s === 'string' ? s : row(5, s), 4), why).toBeNull();
  });
});
