/**
 * The three log formats (version 1, docs/logs.md): CSV that Import-Csv and Excel open, one header
 * row, text cells formula-guarded, raw bytes written back as bytes.
 */
import { stringify } from 'csv-stringify/sync';
import type { ConnectionRecord, ProcessInfo } from '../model/record.js';
import { encodeBytes } from '../util/bytes.js';
import { guardFormula } from '../util/display.js';
import { CONNECTION_COLUMNS } from '../output/columns.js';
import type { ConnEvent } from './tracker.js';
import type { LogKind } from './logstream.js';

export type Cell = string | number | boolean | null;

/** CSV rows as exact bytes; `text` marks the columns that get the formula guard. */
export function csvRows(rows: Cell[][], text: boolean[]): Buffer {
  const guarded = rows.map((r) => r.map((v, i) => (text[i] && typeof v === 'string' ? guardFormula(v) : v)));
  return encodeBytes(stringify(guarded, { cast: { boolean: (b) => (b ? 'True' : 'False') } }));
}

function kind(name: string, columns: string[], textColumns: string[], errorRow: (t: Date, code: string, msg: string) => Cell[]): LogKind & { text: boolean[] } {
  const text = columns.map((c) => textColumns.includes(c));
  return {
    name, text,
    header: stringify([columns]),
    errorRow: (t, code, msg) => csvRows([errorRow(t, code, msg)], text).toString('utf8'),
  };
}

export const CONNECTION_LOG_COLUMNS = [
  'Time', 'Event', 'Protocol', 'AddressFamily', 'LocalAddress', 'LocalPort', 'RemoteAddress', 'RemotePort', 'State', 'PreviousState',
  'ProcessId', 'ProcessStartTime', 'ProcessName', 'ExecutablePath', 'UserName', 'UserId', 'ServiceName', 'OwnerStatus',
  'FirstSeen', 'LastSeen', 'DurationSeconds', 'BytesSent', 'BytesReceived', 'Source', 'Cookie', 'Inode', 'HostName', 'Message',
  // Added after the first release: logs written before them end earlier (readers go by name).
  'LinuxNetNamespace', 'ContainerId', 'ContainerName',
];
export const CONN_TEXT = ['ProcessName', 'ExecutablePath', 'UserName', 'UserId', 'ServiceName', 'HostName', 'Message', 'ContainerId', 'ContainerName'];

/** A row of the connections log for a non-connection event (Start, Stop, Gap, Error). */
export function connectionNote(t: Date, event: string, host: string, message: string): Cell[] {
  const row: Cell[] = CONNECTION_LOG_COLUMNS.map(() => null);
  row[0] = t.toISOString();
  row[1] = event;
  row[26] = host;
  row[27] = message;
  return row;
}

export const CONNECTIONS_LOG = kind('connections', CONNECTION_LOG_COLUMNS, CONN_TEXT, (t, code, msg) => connectionNote(t, 'Error', '', `${code}: ${msg}`));

export function connectionRow(e: ConnEvent, host: string, resolveUser: (uid: number) => string | null): Cell[] {
  const s = e.socket;
  const o = e.owner;
  const duration = e.firstSeen ? (e.time.getTime() - e.firstSeen.getTime()) / 1000 : null;
  const known = s.uid >= 0;
  const uid = o ? o.UserId : known ? String(s.uid) : null;
  return [
    e.time.toISOString(), e.event, s.protocol, s.family, s.localAddress, s.localPort, s.remoteAddress, s.remotePort, s.state, e.previousState,
    o?.ProcessId ?? null, o?.ProcessStartTime ?? null, o?.ProcessName ?? null, o?.ExecutablePath ?? null,
    o ? o.UserName : known ? resolveUser(s.uid) : null, uid, o?.ServiceName ?? null, e.ownerStatus,
    e.firstSeen?.toISOString() ?? null, e.lastSeen?.toISOString() ?? null, duration,
    e.event === 'Close' ? s.bytesAcked : null, e.event === 'Close' ? s.bytesReceived : null,
    e.source, s.cookie, s.inode, host, null, s.netns ?? null, o?.ContainerId ?? null, o?.ContainerName ?? null,
  ];
}

export const PROCESS_LOG_COLUMNS = [
  'Time', 'Event', 'ProcessId', 'ProcessStartTime', 'ProcessName', 'ExecutablePath', 'CommandLine', 'ParentProcessId',
  'UserName', 'UserId', 'ServiceName', 'IsService', 'ExecutableSha256', 'Modules', 'CgroupPath', 'HostName', 'Message',
  // Added after the first release (readers go by name).
  'ContainerId', 'ContainerName',
];
export const PROC_TEXT = ['ProcessName', 'ExecutablePath', 'CommandLine', 'UserName', 'UserId', 'ServiceName', 'Modules', 'CgroupPath', 'HostName', 'Message',
  'ContainerId', 'ContainerName'];

export const PROCESSES_LOG = kind('processes', PROCESS_LOG_COLUMNS, PROC_TEXT, (t, code, msg) => {
  const row: Cell[] = PROCESS_LOG_COLUMNS.map(() => null);
  row[0] = t.toISOString();
  row[1] = 'Error';
  row[16] = `${code}: ${msg}`;
  return row;
});

/** Modules are a JSON array in one cell: exact for any path, one cell for Excel. */
export function processRow(t: Date, event: 'Seen' | 'ModulesChanged', p: ProcessInfo, host: string): Cell[] {
  return [
    t.toISOString(), event, p.ProcessId, p.ProcessStartTime, p.ProcessName, p.ExecutablePath, p.CommandLine, p.ParentProcessId,
    p.UserName, p.UserId, p.ServiceName, p.IsService, p.ExecutableSha256, p.Modules ? JSON.stringify(p.Modules) : null,
    p.CgroupPath ?? null, host, null, p.ContainerId ?? null, p.ContainerName ?? null,
  ];
}

export const INITIAL_LOG_COLUMNS = ['Event', ...CONNECTION_COLUMNS.map((c) => c.name), 'Message'];
export const INITIAL_TEXT = ['Message', ...CONNECTION_COLUMNS.filter((c) => c.text).map((c) => c.name)];

export const INITIAL_LOG = kind('initial', INITIAL_LOG_COLUMNS, INITIAL_TEXT, (t, code, msg) => {
  const row: Cell[] = INITIAL_LOG_COLUMNS.map(() => null);
  row[0] = 'Error';
  row[1] = t.toISOString();
  row[row.length - 1] = `${code}: ${msg}`;
  return row;
});

export function initialRow(r: ConnectionRecord): Cell[] {
  return ['Socket', ...CONNECTION_COLUMNS.map((c) => c.get(r)), null];
}
