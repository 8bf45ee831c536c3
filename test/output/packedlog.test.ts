import { describe, expect, it } from 'vitest';
import { PackedLogSerializer } from '../../src/output/packedlog.js';
import { readPackedLog } from '../helpers/packed.js';
import { emptyLogRecord, emptyProcessRecord, type ImportedRecord, type LogRecord } from '../../src/import/records.js';

const rec = (over: Partial<LogRecord>): LogRecord => ({
  ...emptyLogRecord('PortReport/1', '/var/log/portreport/portreport-connections-v1-a.csv', 2), Time: '2026-11-29T10:00:00.000Z', Event: 'Open',
  Protocol: 'TCP', AddressFamily: 'IPv4', LocalAddress: '10.0.0.1', LocalPort: 443, RemoteAddress: '10.0.0.2', RemotePort: 50000, State: 'Established',
  ProcessId: 42, ProcessStartTime: '2026-11-29T09:00:00.000Z', ProcessName: '<script>alert(1)</script>', ExecutablePath: '/tmp/\udcff"><img onerror=x>',
  CommandLine: 'evil \u001b[2J\nline', UserName: 'www-data', UserId: '33', IsService: false, Modules: ['/lib/a.so', '/tmp/\udc80.so'], HostName: 'web01',
  ...over,
});

describe('packed import format (contract 2)', () => {
  it('reads back to exactly the contract-1 records: hostile text, raw bytes, process records, two files', () => {
    const records: ImportedRecord[] = [
      rec({}), rec({ LogLine: 3, Event: 'Close', FirstSeen: '2026-11-29T10:00:00.000Z', DurationSeconds: 1.5, BytesSent: 10, Message: 'note \udcfe' }),
      { ...emptyProcessRecord('PortReport/1', '/var/log/x.csv', 4), Time: '2026-11-29T10:00:00.000Z', Event: 'Seen', ProcessId: 42, ProcessName: 'n\udcff' },
      rec({ LogLine: 5, ProcessName: 'other' }), // same pid, another name: its own entry
      rec({ LogLine: 6, ProcessId: null, ProcessName: null, Modules: null, DurationSeconds: Number.NaN }),
      // One value that must be escaped among plain ones, in each text column of a row.
      ...(['Time', 'Protocol', 'AddressFamily', 'LocalAddress', 'RemoteAddress', 'State', 'PreviousState', 'OwnerStatus', 'FirstSeen', 'LastSeen', 'Source', 'Message'] as const)
        .map((k, i) => rec({ LogLine: 100 + i, [k]: ['a"b', 'c\\d', 'e\u0001f', 'g\u007fh\u00e9'][i % 4] })),
      rec({ LogFile: '/b/portreport-connections-v1-b.csv', LogLine: 2 }),
      rec({ LogFile: '/b/portreport-connections-v1-b.csv', LogLine: 3, Modules: ['/lib/a.so'] }),
      // The same process seen in a container: its own entry, the container kept.
      rec({ LogFile: '/b/portreport-connections-v1-b.csv', LogLine: 4, Modules: ['/lib/a.so'], ContainerId: 'c'.repeat(64), ContainerName: 'prod/api-1/\udcffapp' }),
    ];
    const ser = new PackedLogSerializer();
    const text = records.map((r) => ser.lines(r)).join('');
    expect(readPackedLog(text)).toEqual(JSON.parse(`[${records.map((r) => JSON.stringify(r)).join(',')}]`));
    const lines = text.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('{"Packed":'))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('{"ProcessId":'))).toHaveLength(5);
  });

  it('sends a process once however many rows it has', () => {
    const ser = new PackedLogSerializer();
    const text = Array.from({ length: 500 }, (_, i) => ser.lines(rec({ LogLine: i + 2, ProcessId: 42 + (i % 2), Modules: ['/lib/a.so'] }))).join('');
    expect(text.split('\n').filter((l) => l.startsWith('{"ProcessId":'))).toHaveLength(2);
    expect(readPackedLog(text).map((r) => r.ProcessId)).toEqual(Array.from({ length: 500 }, (_, i) => 42 + (i % 2)));
  });
});
