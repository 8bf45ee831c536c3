/**
 * The two normalized inputs every analysis reads, whatever the source (live snapshot, our logs,
 * Port Reporter 1.x logs): `ev`, one row per connection event or observed socket, and `pr`, one
 * row per observed process instance. Both engines load exactly these columns.
 */
import type { ConnectionRecord } from '../model/record.js';
import type { ImportedRecord } from '../import/records.js';
import type { Row } from './expr.js';
import { unmapIPv4 } from '../util/ip.js';

export type ColumnType = 'text' | 'int';

export const EV_COLUMNS: [string, ColumnType][] = [
  ['HostName', 'text'], ['Time', 'text'], ['Event', 'text'], ['Protocol', 'text'], ['LocalAddress', 'text'], ['LocalPort', 'int'],
  ['RemoteAddress', 'text'], ['RemotePort', 'int'], ['State', 'text'], ['ProcessId', 'int'], ['ProcessName', 'text'],
  ['ExecutablePath', 'text'], ['UserName', 'text'], ['ServiceName', 'text'], ['FirstSeen', 'text'], ['Container', 'text'],
];

export const PR_COLUMNS: [string, ColumnType][] = [
  ['HostName', 'text'], ['Time', 'text'], ['ProcessId', 'int'], ['ProcessStartTime', 'text'], ['ProcessName', 'text'],
  ['ExecutablePath', 'text'], ['UserName', 'text'], ['ServiceName', 'text'], ['ExecutableSha256', 'text'], ['Modules', 'text'], ['Container', 'text'],
];

/**
 * The container a row belongs to, as the analyses key it (queries.ts, "scope"): its name where the
 * runtime's files gave one (a container re-created under the same name keeps its routine), else
 * its id; null on the host itself and in logs written before containers were recorded.
 */
export const containerOf = (name: string | null | undefined, id: string | null | undefined): string | null => name ?? id ?? null;

// Addresses in rows go through unmapIPv4: ::ffff:a.b.c.d is the IPv4 host it is (one remote host, not two).

/** Log events that describe a socket (the others are the logger's notes: Start, Stop, Gap, Warning, Error). */
export const SOCKET_EVENTS = ['Open', 'Close', 'StateChange', 'Socket', 'Seen'];
/** Process log events that describe a process. */
export const PROCESS_EVENTS = ['Seen', 'ModulesChanged'];

export interface RowSink {
  ev(r: Row): void;
  pr(r: Row): void;
}

const modulesText = (m: string[] | null | undefined): string | null => (m ? JSON.stringify(m) : null);

/** An imported record as ev and/or pr rows. */
export function fromImported(r: ImportedRecord, out: RowSink): void {
  if (r.RecordType === 'ProcessRecord') {
    if (!PROCESS_EVENTS.includes(r.Event)) return;
    out.pr({
      HostName: r.HostName, Time: r.Time, ProcessId: r.ProcessId, ProcessStartTime: r.ProcessStartTime, ProcessName: r.ProcessName,
      ExecutablePath: r.ExecutablePath, UserName: r.UserName, ServiceName: r.ServiceName, ExecutableSha256: r.ExecutableSha256,
      Modules: modulesText(r.Modules), Container: containerOf(r.ContainerName, r.ContainerId),
    });
    return;
  }
  if (!SOCKET_EVENTS.includes(r.Event)) return;
  out.ev({
    HostName: r.HostName, Time: r.Time, Event: r.Event, Protocol: r.Protocol, LocalAddress: unmapIPv4(r.LocalAddress), LocalPort: r.LocalPort,
    RemoteAddress: unmapIPv4(r.RemoteAddress), RemotePort: r.RemotePort, State: r.State, ProcessId: r.ProcessId, ProcessName: r.ProcessName,
    ExecutablePath: r.ExecutablePath, UserName: r.UserName, ServiceName: r.ServiceName, FirstSeen: r.FirstSeen,
    Container: containerOf(r.ContainerName, r.ContainerId),
  });
}

/** A live snapshot: each socket an ev row (Event Socket), each owning process one pr row. */
export function fromSnapshot(records: ConnectionRecord[], out: RowSink): void {
  const seen = new Set<string>();
  for (const r of records) {
    const container = containerOf(r.Linux?.ContainerName, r.Linux?.ContainerId);
    out.ev({
      HostName: r.HostName, Time: r.ObservedAt, Event: 'Socket', Protocol: r.Protocol, LocalAddress: unmapIPv4(r.LocalAddress), LocalPort: r.LocalPort,
      RemoteAddress: unmapIPv4(r.RemoteAddress), RemotePort: r.RemotePort, State: r.State, ProcessId: r.ProcessId, ProcessName: r.ProcessName,
      ExecutablePath: r.ExecutablePath, UserName: r.UserName, ServiceName: r.ServiceName, FirstSeen: null, Container: container,
    });
    if (r.ProcessId === null) continue;
    const key = `${r.ProcessId}|${r.ProcessStartTime}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.pr({
      HostName: r.HostName, Time: r.ObservedAt, ProcessId: r.ProcessId, ProcessStartTime: r.ProcessStartTime, ProcessName: r.ProcessName,
      ExecutablePath: r.ExecutablePath, UserName: r.UserName, ServiceName: r.ServiceName, ExecutableSha256: r.ExecutableSha256,
      Modules: modulesText(r.Modules), Container: container,
    });
  }
}
