/**
 * What an import emits: LogRecord (a connection event, or a socket of an initial snapshot) and
 * ProcessRecord, with the property names of Get-PortReport where they mean the same thing, plus
 * where each came from (LogFormat, LogFile, LogLine). Contract 1; docs/import.md.
 */
export interface LogRecord {
  RecordType: 'LogRecord';
  /** ISO-8601: UTC ("Z") for PortReport logs, local time without an offset for Port Reporter 1.x. */
  Time: string | null;
  Event: string;
  Protocol: string | null;
  AddressFamily: string | null;
  LocalAddress: string | null;
  LocalPort: number | null;
  RemoteAddress: string | null;
  RemotePort: number | null;
  State: string | null;
  PreviousState: string | null;
  ProcessId: number | null;
  ProcessStartTime: string | null;
  ProcessName: string | null;
  ExecutablePath: string | null;
  CommandLine: string | null;
  UserName: string | null;
  UserId: string | null;
  ServiceName: string | null;
  IsService: boolean | null;
  Modules: string[] | null;
  OwnerStatus: string | null;
  FirstSeen: string | null;
  LastSeen: string | null;
  DurationSeconds: number | null;
  BytesSent: number | null;
  BytesReceived: number | null;
  Source: string | null;
  HostName: string | null;
  /** Linux: the container of the process (logs written since container identity was added; null on the host and in older logs). */
  ContainerId: string | null;
  ContainerName: string | null;
  Message: string | null;
  LogFormat: string;
  LogFile: string;
  LogLine: number;
}

export interface ProcessRecord {
  RecordType: 'ProcessRecord';
  Time: string | null;
  Event: string;
  ProcessId: number | null;
  ProcessStartTime: string | null;
  ProcessName: string | null;
  ExecutablePath: string | null;
  CommandLine: string | null;
  ParentProcessId: number | null;
  UserName: string | null;
  UserId: string | null;
  ServiceName: string | null;
  IsService: boolean | null;
  ExecutableSha256: string | null;
  Modules: string[] | null;
  HostName: string | null;
  /** Linux: the container of the process (logs written since container identity was added; null on the host and in older logs). */
  ContainerId: string | null;
  ContainerName: string | null;
  Message: string | null;
  LogFormat: string;
  LogFile: string;
  LogLine: number;
}

export type ImportedRecord = LogRecord | ProcessRecord;

export const EXACT_IMPORT_PROPS = ['ProcessName', 'ExecutablePath', 'CommandLine', 'UserName', 'UserId', 'ServiceName', 'Modules', 'HostName', 'ContainerId', 'ContainerName', 'Message'] as const;

export function emptyLogRecord(format: string, file: string, line: number): LogRecord {
  return {
    RecordType: 'LogRecord', Time: null, Event: '', Protocol: null, AddressFamily: null, LocalAddress: null, LocalPort: null,
    RemoteAddress: null, RemotePort: null, State: null, PreviousState: null, ProcessId: null, ProcessStartTime: null,
    ProcessName: null, ExecutablePath: null, CommandLine: null, UserName: null, UserId: null, ServiceName: null, IsService: null,
    Modules: null, OwnerStatus: null, FirstSeen: null, LastSeen: null, DurationSeconds: null, BytesSent: null, BytesReceived: null,
    Source: null, HostName: null, ContainerId: null, ContainerName: null, Message: null, LogFormat: format, LogFile: file, LogLine: line,
  };
}

export function emptyProcessRecord(format: string, file: string, line: number): ProcessRecord {
  return {
    RecordType: 'ProcessRecord', Time: null, Event: '', ProcessId: null, ProcessStartTime: null, ProcessName: null,
    ExecutablePath: null, CommandLine: null, ParentProcessId: null, UserName: null, UserId: null, ServiceName: null,
    IsService: null, ExecutableSha256: null, Modules: null, HostName: null, ContainerId: null, ContainerName: null, Message: null, LogFormat: format, LogFile: file, LogLine: line,
  };
}
