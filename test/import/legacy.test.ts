/** Port Reporter 1.x logs: every row shape, the PORTS-to-PIDS join, encodings and line endings. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { legacySystemDate, legacyTime, parsePrPids, parsePrPorts } from '../../src/import/legacy.js';
import { decodeText, detectEncoding } from '../../src/import/text.js';
import type { ImportError } from '../../src/import/errors.js';
import type { LogRecord, ProcessRecord } from '../../src/import/records.js';
import { FIXTURES, ndjson, runSidecar } from '../helpers/procs.js';

const LEGACY = join(FIXTURES, 'legacy');
const PORTS = join(LEGACY, 'PR-PORTS-SERVER1-0705-0607-134404.log');
const tmp = mkdtempSync(join(tmpdir(), 'portreport-legacy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('PR-PORTS rows', () => {
  const errors: ImportError[] = [];
  const { rows, pidsFile } = parsePrPorts(readFileSync(PORTS, 'latin1'), 'PR-PORTS.log', (e) => errors.push(e));

  it('reads the header and its PR-PIDS reference', () => {
    expect(pidsFile).toBe('PR-PIDS-SERVER1-0705-0607-134404.log');
  });

  it('reads a TCP listener, a connection, a UDP socket and image names with commas', () => {
    expect(rows[0]).toMatchObject({ line: 5, time: '2005-07-06T13:44:04', protocol: 'TCP', localPort: 3389, localAddress: '0.0.0.0', remotePort: 0, remoteAddress: '0.0.0.0', state: 'Listen', pid: 1096, module: 'svchost.exe', user: 'NT AUTHORITY\\SYSTEM' });
    expect(rows[1]).toMatchObject({ time: '2005-07-06T13:52:02', localAddress: '172.16.16.150', remotePort: 1486, remoteAddress: '172.16.16.100', state: 'Established' });
    expect(rows[2]).toMatchObject({ protocol: 'UDP', localPort: 500, remotePort: 0, remoteAddress: '0.0.0.0', state: 'Bound', pid: 484 });
    expect(rows[3]).toMatchObject({ module: 'my,app.exe', user: 'CONTOSO\\jsmith', remotePort: 80 });
  });

  it('reports each bad row with file, line and field, and keeps the rest', () => {
    expect(rows.map((r) => r.line)).toEqual([5, 6, 7, 8, 9, 12]);
    expect(errors.map((e) => [e.file, e.line, e.field])).toEqual([['PR-PORTS.log', 10, 'local port'], ['PR-PORTS.log', 11, 'date,time']]);
  });

  it('reads Windows 2000 rows, which have no process fields', () => {
    const w2k = parsePrPorts(readFileSync(join(LEGACY, 'PR-PORTS-W2K-0705-0607-134404.log'), 'latin1'), 'w2k', () => {});
    expect(w2k.rows.map((r) => [r.protocol, r.localPort, r.state, r.pid, r.module])).toEqual([['TCP', 135, 'Listen', null, null], ['TCP', 1025, 'Established', null, null], ['UDP', 137, 'Bound', null, null]]);
    expect(w2k.pidsFile).toBeNull();
  });

  it('reads two-digit years and unpadded dates and times', () => {
    expect(legacyTime('05/7/6', '9:3:1')).toBe('2005-07-06T09:03:01');
    expect(legacyTime('99/12/31', '23:59:59')).toBe('1999-12-31T23:59:59');
    expect(legacyTime('05/13/1', '0:0:0')).toBeNull();
    expect(legacySystemDate('Wed Jul 06 13:44:04 2005')).toBe('2005-07-06T13:44:04');
  });
});

describe('PR-PIDS blocks', () => {
  const pids = parsePrPids(readFileSync(join(LEGACY, 'PR-PIDS-SERVER1-0705-0607-134404.log'), 'latin1'), 'pids', () => {});
  it('reads header, processes, services, users and modules with their paths', () => {
    expect(pids.computer).toBe('SERVER1');
    expect(pids.os).toMatch(/Windows Server 2003/);
    expect(pids.processes.map((p) => [p.pid, p.name, p.time, p.services.map((s) => s.name), p.modules.length])).toEqual([
      [484, 'lsass.exe', '2005-07-06T13:44:04', ['PolicyAgent', 'ProtectedStorage'], 2],
      [1096, 'svchost.exe', '2005-07-06T13:44:04', ['TermService'], 2],
      [2212, 'my,app.exe', '2005-07-06T14:00:00', [], 2],
      [1096, 'svchost.exe', '2005-07-07T08:00:00', ['Dnscache'], 2],
    ]);
    expect(pids.processes[2]).toMatchObject({ user: 'CONTOSO\\jsmith', path: 'C:\\Documents and Settings\\jsmith\\Local Settings\\Temp\\my,app.exe' });
    expect(pids.processes[0].services[0]).toEqual({ name: 'PolicyAgent', displayName: 'IPSEC Services', type: 'shares a process with other services' });
  });
});

describe('portreport import of Port Reporter 1.x logs', () => {
  it('joins each PORTS row with the PIDS block of its pid at the nearest earlier time', () => {
    const r = runSidecar(['import', LEGACY]);
    expect(r.status).toBe(0);
    const recs = ndjson<LogRecord | ProcessRecord>(r.stdout);
    const logs = recs.filter((x): x is LogRecord => x.RecordType === 'LogRecord' && x.LogFile === PORTS);
    const at = (line: number) => logs.find((x) => x.LogLine === line)!;
    expect(at(6)).toMatchObject({ ProcessName: 'svchost.exe', ServiceName: 'TermService', ExecutablePath: 'C:\\WINDOWS\\System32\\svchost.exe', HostName: 'SERVER1', IsService: true });
    expect(at(12)).toMatchObject({ ProcessId: 1096, ServiceName: 'Dnscache', UserName: 'NT AUTHORITY\\NETWORK SERVICE' }); // the next day's svchost
    expect(at(8).Modules).toContain('C:\\Documents and Settings\\jsmith\\Local Settings\\Temp\\evil,hook.dll');
    expect(recs.filter((x) => x.RecordType === 'ProcessRecord')).toHaveLength(4);
    expect(r.stderr).toMatch(/PR-PORTS-SERVER1-0705-0607-134404\.log:10: local port: "99999" is not a port/);
  });

  it('names the computer on every row: from the PR-PIDS log, else from the name of the log', () => {
    const recs = ndjson<LogRecord | ProcessRecord>(runSidecar(['import', LEGACY]).stdout);
    const hosts = (file: string) => [...new Set(recs.filter((x) => x.LogFile.endsWith(file)).map((x) => x.HostName))];
    expect(hosts('PR-PORTS-SERVER1-0705-0607-134404.log')).toEqual(['SERVER1']);
    expect(hosts('PR-PIDS-SERVER1-0705-0607-134404.log')).toEqual(['SERVER1']);
    expect(hosts('PR-PORTS-W2K-0705-0607-134404.log')).toEqual(['W2K']); // Windows 2000: no process data at all
  });

  it('reads UTF-16LE with a BOM and ANSI (Windows-1252), with CRLF or LF endings', () => {
    const ansi = readFileSync(PORTS, 'latin1').replace('CONTOSO\\jsmith>', 'CONTOSO\\josé>');
    const u16 = join(tmp, 'PR-PORTS-U16.log');
    writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ansi, 'utf16le')]));
    const cp = join(tmp, 'PR-PORTS-ANSI.log');
    writeFileSync(cp, Buffer.from(ansi.replace(/\r\n/g, '\n'), 'latin1'));
    expect(detectEncoding(readFileSync(u16))).toBe('utf-16le');
    expect(decodeText(readFileSync(cp), 'windows-1252').text).toContain('josé');
    for (const f of [u16, cp]) {
      const recs = ndjson<LogRecord>(runSidecar(['import', f]).stdout);
      expect(recs.map((x) => x.LogLine)).toEqual([5, 6, 7, 8, 9, 12]);
      expect(recs[3].UserName).toBe('CONTOSO\\josé');
    }
  });

  it('applies filters in the sidecar', () => {
    const f = (args: string[]) => ndjson<LogRecord>(runSidecar(['import', ...args, '--', LEGACY]).stdout);
    expect(f(['--remote-port', '445']).map((x) => x.LocalPort)).toEqual([1031]);
    expect(f(['--process', 'SVCHOST*', '--protocol', 'tcp']).every((x) => x.ProcessName === 'svchost.exe')).toBe(true);
    expect(f(['--user', '*jsmith']).length).toBe(3); // two connections and one process block
    expect(f(['--remote-address', '10.0.0.0/8', '--after', '2005-07-07T00:00:00Z']).map((x) => x.LocalPort)).toEqual([1032]);
    expect(f(['--before', '2005-07-06T13:50:00Z', '--protocol', 'tcp']).map((x) => x.LocalPort)).toEqual([3389, 135, 1025]);
  });
});
