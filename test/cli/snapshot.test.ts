/**
 * The compiled sidecar as the module and admins run it: filters, formats, usage errors, and
 * hostile names (commas, quotes, newlines, escapes, formulas, non-UTF-8 bytes) through every format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { decodeBytes, encodeBytes } from '../../src/util/bytes.js';
import { unguardFormula } from '../../src/util/display.js';
import type { ConnectionRecord } from '../../src/model/record.js';
import { FIXTURES, hostileNodeCopy, ndjson, runSidecar, spawnHostileListener, type Spawned } from '../helpers/procs.js';

// Raw bytes: a path and an argument no string API could produce.
const DIR = Buffer.concat([Buffer.from('we,ird "dir"\n ü '), Buffer.from([0xff, 0xfe])]);
const FILE = Buffer.concat([Buffer.from('no"de,\x1b[31m'), Buffer.from([0x80])]);
const ARG = Buffer.concat([Buffer.from('=HYPERLINK("http://x","y") a,b "q"\r\n\t\x1b]0;title\x07 漢 '), Buffer.from([0xc3, 0x28])]);

let exe: ReturnType<typeof hostileNodeCopy>;
let proc: Spawned;

beforeAll(async () => {
  exe = hostileNodeCopy(DIR, FILE);
  proc = await spawnHostileListener(exe.path, [ARG]);
});

afterAll(() => {
  proc?.stop();
  exe?.cleanup();
});

describe('portreport snapshot', () => {
  it('emits NDJSON whose path and command line decode to exactly the process\'s bytes', () => {
    const r = runSidecar(['snapshot', '--pid', String(proc.pid), '--format', 'ndjson']);
    expect(r.status).toBe(0);
    const [rec] = ndjson<ConnectionRecord>(r.stdout);
    expect(rec.LocalPort).toBe(proc.port);
    expect(encodeBytes(rec.ExecutablePath!)).toEqual(exe.path);
    expect(rec.ProcessName).toBe(decodeBytes(FILE));
    // argv[0] is the raw path, argv[1] the listener script, argv[2] the raw argument.
    expect(encodeBytes(rec.CommandLine!)).toEqual(Buffer.concat([exe.path, Buffer.from(` ${FIXTURES}/listener.cjs `), ARG]));
  });

  it('writes CSV that parses back to the same values, with formulas guarded and raw bytes kept', () => {
    const r = runSidecar(['snapshot', '--pid', String(proc.pid), '--format', 'csv']);
    expect(r.status).toBe(0);
    // The file holds the raw bytes: parse fields as bytes (csv-parse encoding null), then decode.
    const [header, ...data] = (parse(r.stdout, { encoding: null }) as Buffer[][]).map((row) => row.map(decodeBytes));
    const rows = data.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i]])));
    expect(rows).toHaveLength(1);
    expect(encodeBytes(unguardFormula(rows[0].ExecutablePath))).toEqual(exe.path);
    expect(encodeBytes(unguardFormula(rows[0].CommandLine)).subarray(-ARG.length)).toEqual(ARG);
    for (const v of Object.values(rows[0])) expect(v).not.toMatch(/^[=+@\t\r]/);
  });

  it('shows a table in which no escape sequence or control character reaches the terminal', () => {
    const r = runSidecar(['snapshot', '--pid', String(proc.pid), '--format', 'table']);
    expect(r.status).toBe(0);
    const text = r.stdout.toString('latin1');
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(text).toContain('\\x1b[31m');
    expect(text).toContain(String(proc.port));
  });

  it('applies every filter in the sidecar', () => {
    const all = ndjson<ConnectionRecord>(runSidecar(['snapshot', '--pid', String(proc.pid)]).stdout);
    expect(all.map((x) => x.LocalPort)).toEqual([proc.port]);
    const one = (args: string[]) => ndjson<ConnectionRecord>(runSidecar(['snapshot', ...args]).stdout);
    expect(one(['--local-port', String(proc.port), '--state', 'LISTEN', '--protocol', 'tcp'])).toHaveLength(1);
    expect(one(['--local-port', String(proc.port), '--state', 'established'])).toHaveLength(0);
    expect(one(['--local-port', String(proc.port), '--protocol', 'udp'])).toHaveLength(0);
    expect(one(['--local-port', String(proc.port), '--process', decodeBytes(FILE).slice(0, 3) + '*'])).toHaveLength(1);
    expect(one(['--local-port', String(proc.port), '--remote-address', '0.0.0.0/32'])).toHaveLength(1);
    expect(one(['--local-port', String(proc.port), '--remote-port', '1'])).toHaveLength(0);
  });

  it('gives the same records on one thread as on two (worker dump + shared fd scan)', () => {
    const strip = (rs: ConnectionRecord[]) => rs.map(({ ObservedAt, ...r }) => { void ObservedAt; return r; });
    const two = ndjson<ConnectionRecord>(runSidecar(['snapshot', '--pid', String(proc.pid), '--pid', String(process.pid)]).stdout);
    const one = ndjson<ConnectionRecord>(runSidecar(['snapshot', '--pid', String(proc.pid), '--pid', String(process.pid)], { ...process.env, PORTREPORT_THREADS: '1' }).stdout);
    expect(two.length).toBeGreaterThanOrEqual(1);
    expect(strip(two)).toEqual(strip(one));
  });

  it('gives the same records in the packed form (contract 2) as in NDJSON, each process once', () => {
    const args = ['snapshot', '--pid', String(proc.pid), '--pid', String(process.pid), '--contract', '2'];
    const plain = ndjson<ConnectionRecord>(runSidecar([...args, '--format', 'ndjson']).stdout);
    const lines = runSidecar([...args, '--format', 'packed']).stdout.toString().trimEnd().split('\n');
    const rows = lines.filter((l) => l.startsWith('['));
    const entries = lines.filter((l) => l.startsWith('{"ProcessId":')).map((l) => JSON.parse(l));
    expect(rows.length).toBe(plain.length);
    expect(new Set(entries.map((e) => e.ProcessId))).toEqual(new Set(plain.map((r) => r.ProcessId)));
    expect(entries.length).toBe(new Set(entries.map((e) => e.ProcessId)).size);
    const key = (p: unknown[]) => `${p[1]}|${p[3]}|${p[4]}|${p[5]}|${p[6]}|${entries[(p[0] as number) - 1].ProcessId}`;
    expect(rows.map((l) => key(JSON.parse(l))).sort()).toEqual(plain.map((r) => `${r.Protocol}|${r.LocalAddress}|${r.LocalPort}|${r.RemoteAddress}|${r.RemotePort}|${r.ProcessId}`).sort());
  });

  it('rejects bad usage with exit code 2 and a message naming the option', () => {
    const cases: [string[], RegExp][] = [
      [['snapshot', '--local-port', '70000'], /--local-port: "70000" is not a port number/],
      [['snapshot', '--state', 'sleepy'], /--state: "sleepy" is not a state/],
      [['snapshot', '--protocol', 'sctp'], /--protocol: "sctp" is not TCP or UDP/],
      [['snapshot', '--remote-address', '1.2.3'], /--remote-address: "1.2.3" is not an IP address/],
      [['snapshot', '--format', 'xml'], /--format: "xml" is not one of/],
      [['snapshot', '--contract', '99'], /--contract: this sidecar speaks NDJSON contracts 1 and 2, not "99"/],
      [['snapshot', '--format', 'packed', '--contract', '1'], /--format packed: needs contract 2/],
      [['snapshot', '--bogus'], /Unknown option '--bogus'/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ];
    for (const [args, msg] of cases) {
      const r = runSidecar(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout.length).toBe(0);
    }
  });

  it('reports diagnostics as JSON lines when asked, and fails clearly when netlink is forced but broken', () => {
    const r = runSidecar(['snapshot', '--diagnostics', 'json', '--source', 'netlink', '--pid', String(proc.pid)], { ...process.env, PORTREPORT_LIBC: '/nonexistent/libc.so.6' });
    expect(r.status).toBe(1);
    const d = JSON.parse(r.stderr.trim().split('\n').pop()!);
    expect(d).toMatchObject({ Level: 'error' });
    expect(d.Message).toMatch(/nonexistent\/libc\.so\.6/);
  });

  it('falls back to /proc/net with a warning when netlink is unavailable', () => {
    const r = runSidecar(['snapshot', '--pid', String(proc.pid)], { ...process.env, PORTREPORT_LIBC: '/nonexistent/libc.so.6' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/PR_NETLINK_UNAVAILABLE/);
    const [rec] = ndjson<ConnectionRecord>(r.stdout);
    expect(rec.LocalPort).toBe(proc.port);
    expect(rec.Linux!.Source).toBe('procfs');
  });
});

describe('filters on names with commas and leading signs', () => {
  it('--process matches "com,ma" (comma escaped) and "-2+3" (--process=VALUE)', async () => {
    const made: { exe: ReturnType<typeof hostileNodeCopy>; proc: Spawned }[] = [];
    try {
      for (const name of ['com,ma', '-2+3']) {
        const e = hostileNodeCopy(Buffer.from('d'), Buffer.from(name));
        made.push({ exe: e, proc: await spawnHostileListener(e.path, []) });
      }
      const [comma, sign] = made.map((m) => m.proc);
      const find = (arg: string, port: number) => ndjson<ConnectionRecord>(runSidecar(['snapshot', '--format', 'ndjson', '--state', 'listen', arg]).stdout).filter((r) => r.LocalPort === port);
      expect(find('--process=com\\,ma', comma.port).map((r) => r.ProcessName)).toEqual(['com,ma']);
      expect(find('--process=-2+3', sign.port).map((r) => r.ProcessName)).toEqual(['-2+3']);
      expect(find('--process=com,ma', comma.port)).toEqual([]); // unescaped: two names, "com" and "ma"
    } finally {
      for (const m of made) { m.proc.stop(); m.exe.cleanup(); }
    }
  });
});
