/**
 * The DuckDB scan (src/import/duckscan.ts) against the streaming importer, as the analysis engines
 * are tested: the same hostile logs and filters through `import --engine duckdb` and
 * `import --engine stream` give the same records, byte for byte, and the same warnings, and the
 * DuckDB scan did read the file (as far as it says). Plus the superset SQL of each filter on its own.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECTIONS_LOG } from '../../src/watch/logformat.js';
import { runSidecar } from '../helpers/procs.js';

const root = mkdtempSync(join(tmpdir(), 'portreport-duckscan-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const COLS = CONNECTIONS_LOG.header.trim().split(',');
/** One row of the connections log, every column filled; `set` replaces cells (raw CSV text). */
function row(i: number, set: Record<string, string> = {}): string {
  const t = new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString();
  const v: Record<string, string> = {
    Time: t, Event: 'Close', Protocol: i % 5 ? 'TCP' : 'UDP', AddressFamily: 'IPv4', LocalAddress: `10.0.0.${i % 9}`,
    LocalPort: String(443 + (i % 3)), RemoteAddress: `192.168.1.${i % 11}`, RemotePort: String(40000 + (i % 7)),
    State: 'Closed', PreviousState: 'Established', ProcessId: String(1000 + (i % 4)), ProcessStartTime: '2026-11-01T00:00:00.000Z',
    ProcessName: ['nginx', 'curl', 'sshd', 'python3'][i % 4], ExecutablePath: ['/usr/sbin/nginx', '/usr/bin/curl', '/usr/sbin/sshd', '/usr/bin/python3.11'][i % 4],
    UserName: ['www-data', 'alice', 'root', 'bob'][i % 4], UserId: String(i % 4), ServiceName: '', OwnerStatus: 'Known', FirstSeen: t, LastSeen: t,
    DurationSeconds: '1.5', BytesSent: String(i), BytesReceived: String(2 * i), Source: 'destroy', Cookie: String(9000 + i), Inode: '0', HostName: 'web01', Message: '',
    ...set,
  };
  return COLS.map((c) => v[c] ?? '').join(',') + '\n';
}
const body = (n: number, at: Record<number, string> = {}) => Array.from({ length: n }, (_, i) => at[i] ?? row(i)).join('');

/** Each: a log body after the header (raw bytes), and whether the DuckDB scan reads it to the end (null: either). */
const LOGS: Record<string, [Buffer, boolean | null]> = {
  clean: [Buffer.from(body(3000)), true],
  'valid UTF-8 names, guards, markup, escapes': [Buffer.from(body(500, {
    10: row(10, { ProcessName: 'pythön', UserName: 'zoë' }), 11: row(11, { ProcessName: "'=cmd|calc", UserName: "'+sum" }),
    12: row(12, { ProcessName: '<script>alert(1)</script>', ExecutablePath: '/tmp/\u{1f600}/x' }), 13: row(13, { ProcessName: 'red\x1b[31mx\x07', Message: 'a\tb' }),
    14: row(14, { ProcessName: 'nul\x00byte' }), 15: row(15, { ProcessName: 'NGINX', ExecutablePath: '/opt/%_\\/nginx' }),
  })), true],
  'numbers and times the importer must judge': [Buffer.from(body(400, {
    20: row(20, { RemotePort: 'abc' }), 21: row(21, { RemotePort: '1_000' }), 22: row(22, { RemotePort: 'inf' }), 23: row(23, { RemotePort: '0x9c40' }),
    28: row(28, { RemotePort: '+0x9c40' }), 29: row(29, { LocalPort: '-0x1bb' }), 37: row(37, { BytesReceived: '1.2.3' }), 38: row(38, { Time: '2026-11-01T24:00:00.000Z' }),
    39: row(39, { DurationSeconds: 'Infinity' }), 19: row(19, { ProcessId: '99999999999999999999999' }), 18: row(18, { RemotePort: '4e4' }), 17: row(17, { Time: '2026-11-01T23:59:60.000Z' }),
    24: row(24, { RemotePort: '040000' }), 25: row(25, { RemotePort: ' 40000' }), 26: row(26, { BytesSent: 'nan' }), 27: row(27, { DurationSeconds: '1e999' }),
    30: row(30, { Time: '2026-02-30T00:00:00.000Z' }), 31: row(31, { Time: '2026-11-01 00:00:00' }), 32: row(32, { Time: 'yesterday' }),
    33: row(33, { Time: '2026-11-01T00:00:33Z' }), 34: row(34, { Time: '2026-11-01T02:00:34.000+02:00' }), 35: row(35, { Time: '' }), 36: row(36, { Time: '2028-02-29T00:00:36.000Z' }),
  })), true],
  'duplicate lines and a line that ends another': [Buffer.from(body(300, { 40: row(7), 41: row(7), 42: row(7), 43: `x${row(44)}` })), true],
  'a quoted cell with a comma, a quote and a newline': [Buffer.from(body(600, { 300: row(300, { ProcessName: '"a,b ""c""\nd"' }) })), false],
  'a blank line': [Buffer.from(body(600, { 250: `\n${row(250)}` })), false],
  'a stray quote': [Buffer.from(body(600, { 200: row(200, { ProcessName: 'a"b' }) })), false],
  'rows of the wrong width': [Buffer.from(body(600, { 100: 'short,row\n', 101: row(101).replace('\n', ',extra\n') })), false],
  'bytes that are not UTF-8': [Buffer.concat([Buffer.from(body(200)), Buffer.from(row(200, { ProcessName: 'bad\xff\xfe' }), 'latin1'), Buffer.from(body(200))]), false],
  // DuckDB reads these or errs, depending on the columns it needs; either way the records agree.
  'CRLF lines': [Buffer.from(body(200).replace(/\n/g, '\r\n')), null],
  'the header again, mid-file': [Buffer.from(body(300, { 150: CONNECTIONS_LOG.header })), true],
  'no newline at the end': [Buffer.from(body(200).slice(0, -1)), true],
  'a line longer than any row': [Buffer.from(body(100, { 50: `${'x'.repeat(1_100_000)}\n` })), false],
};

const FILTERS: string[][] = [
  ['--remote-port', '40000'], ['--local-port', '444', '--protocol', 'udp'], ['--process', 'nginx'], ['--process', 'pyth*'],
  ['--user', 'ZO?'], ['--after', '2026-11-01T00:03:00Z', '--before', '2026-11-01T00:05:00.5Z'], [],
];

function run(file: string, engine: string, filter: string[]) {
  const r = runSidecar(['import', file, '--engine', engine, '--diagnostics', 'json', ...filter]);
  const diags = r.stderr.toString().trim().split('\n').filter((l) => l).map((l) => JSON.parse(l) as { Level: string; Code: string; Message: string });
  return { status: r.status, stdout: r.stdout.toString(), warnings: diags.filter((d) => d.Level !== 'verbose' && d.Code !== 'PR_PROGRESS'), verbose: diags.filter((d) => d.Code === 'PR_IMPORT_DUCKDB') };
}

describe('import --engine duckdb agrees with the streaming importer', () => {
  let k = 0;
  for (const [name, [bytes, whole]] of Object.entries(LOGS)) {
    it(`${name}: the same records and warnings under every filter`, () => {
      const file = join(root, `portreport-connections-v1-2026110${k++}T000000000Z-1-0.csv`);
      writeFileSync(file, Buffer.concat([Buffer.from(CONNECTIONS_LOG.header), bytes]));
      let matched = 0;
      for (const f of FILTERS) {
        const s = run(file, 'stream', f);
        const d = run(file, 'duckdb', f);
        expect(d.status, `${name} ${f.join(' ')}`).toBe(s.status);
        expect(d.stdout, `${name} ${f.join(' ')}`).toBe(s.stdout);
        expect(d.warnings, `${name} ${f.join(' ')}`).toEqual(s.warnings);
        expect(d.verbose.length).toBe(1);
        if (whole !== null) expect(d.verbose[0].Message.endsWith('read by the DuckDB scan'), d.verbose[0].Message).toBe(whole);
        matched += s.stdout.split('\n').length - 1;
      }
      expect(matched).toBeGreaterThan(0);
    });
  }

  it('the scan hands over at the first line it cannot vouch for, and no sooner', () => {
    const file = join(root, 'portreport-connections-v1-20261109T000000000Z-1-0.csv');
    writeFileSync(file, Buffer.concat([Buffer.from(CONNECTIONS_LOG.header), LOGS['a quoted cell with a comma, a quote and a newline'][0]]));
    const d = run(file, 'duckdb', ['--remote-port', '40000']);
    expect(d.verbose[0].Message).toContain('up to line 301,');
  });

  it('auto leaves small files and unpushable filters to the streaming reader', () => {
    const file = join(root, 'portreport-connections-v1-20261110T000000000Z-1-0.csv');
    writeFileSync(file, Buffer.concat([Buffer.from(CONNECTIONS_LOG.header), LOGS.clean[0]]));
    expect(run(file, 'auto', ['--remote-port', '40000']).verbose).toEqual([]);
    expect(run(file, 'duckdb', ['--remote-address', '192.168.1.0/24']).verbose.length).toBe(1);
  });

  it('shows its progress while DuckDB scans a file that yields few rows, rising and past 0%', () => {
    const file = join(root, 'portreport-connections-v1-20261111T000000000Z-1-0.csv');
    // Enough rows that the scan outlasts a few progress ticks; one RemotePort in 7 is 40000.
    const chunk = body(20000);
    writeFileSync(file, CONNECTIONS_LOG.header + chunk.repeat(25));
    const r = runSidecar(['import', file, '--engine', 'duckdb', '--remote-port', '40006', '--diagnostics', 'json'],
      { ...process.env, PORTREPORT_PROGRESS_AFTER_MS: '0' });
    expect(r.status).toBe(0);
    expect(r.stdout.toString().split('\n').length - 1).toBe(25 * Math.floor(20000 / 7));
    const pct = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as { Code: string; Message: string; Target: string })
      .filter((d) => d.Code === 'PR_PROGRESS' && d.Message.includes('scanning with DuckDB')).map((d) => Number(d.Target));
    expect(pct.length, r.stderr).toBeGreaterThan(0);
    expect(pct.some((p) => p > 0 && p < 100), pct.join(' ')).toBe(true);
    expect(pct, 'never goes back').toEqual([...pct].sort((a, b) => a - b));
  });
});
