/**
 * The packed import format of contract 2 (docs/import.md), what Import-PortReportLog reads: a log's
 * file and format travel once per file, each process's context once, each event is a short
 * positional row that refers to it. Lines, told apart by their first bytes:
 *   {"Packed":2,"LogFormat":…,"LogFile":…}                  context for the rows after it
 *   {"ProcessId":…,…}                                        process entry n (numbered from 1)
 *   [n,Time,Event,Protocol,AddressFamily,LocalAddress,LocalPort,RemoteAddress,RemotePort,State,
 *      PreviousState,OwnerStatus,FirstSeen,LastSeen,DurationSeconds,BytesSent,BytesReceived,
 *      Source,Message,LogLine]                               one LogRecord of process entry n
 *   {"RecordType":"ProcessRecord",…}                         as in contract 1
 * A process entry holds ProcessId, ProcessStartTime, ProcessName, ExecutablePath, CommandLine,
 * UserName, UserId, ServiceName, IsService, Modules, HostName, ContainerId and ContainerName (with "Utf16" when text holds raw
 * bytes). Every record converts back to exactly the contract-1 record (a test holds it to that).
 */
import type { ImportedRecord, LogRecord } from '../import/records.js';
import { EXACT_IMPORT_PROPS } from '../import/records.js';
import { exactLine, utf16Member } from './ndjson.js';
import { PACKED_VERSION } from './packed.js';

const q = JSON.stringify;

/** Whether two records have the same process entry: every property processEntry writes, compared one by one (a loop over their names costs a keyed load each, once a row). */
function sameProcess(a: LogRecord, b: LogRecord): boolean {
  if (a.ProcessId !== b.ProcessId || a.ProcessStartTime !== b.ProcessStartTime || a.ProcessName !== b.ProcessName || a.ExecutablePath !== b.ExecutablePath
    || a.CommandLine !== b.CommandLine || a.UserName !== b.UserName || a.UserId !== b.UserId || a.ServiceName !== b.ServiceName
    || a.IsService !== b.IsService || a.HostName !== b.HostName || a.ContainerId !== b.ContainerId || a.ContainerName !== b.ContainerName) return false;
  const m = a.Modules;
  const n = b.Modules;
  if (m === n) return true;
  if (m === null || n === null || m.length !== n.length) return false;
  for (let i = 0; i < m.length; i++) if (m[i] !== n[i]) return false;
  return true;
}

function processEntry(r: LogRecord): string {
  return `{"ProcessId":${num(r.ProcessId)},"ProcessStartTime":${q(r.ProcessStartTime)},"ProcessName":${q(r.ProcessName)},`
    + `"ExecutablePath":${q(r.ExecutablePath)},"CommandLine":${q(r.CommandLine)},"UserName":${q(r.UserName)},"UserId":${q(r.UserId)},`
    + `"ServiceName":${q(r.ServiceName)},"IsService":${r.IsService},"Modules":${q(r.Modules)},"HostName":${q(r.HostName)}`
    + `,"ContainerId":${q(r.ContainerId)},"ContainerName":${q(r.ContainerName)}`
    + `${utf16Member(r, EXACT_IMPORT_PROPS.filter((p) => p !== 'Message'))}}\n`;
}

/** Printable ASCII other than " and \: a JSON string as it is (most values: times, addresses, states). */
const PLAIN = /^[ !#-[\]-~]*$/;
/** A JSON string or null, as JSON.stringify writes it. */
const s = (v: string | null) => (v === null ? 'null' : PLAIN.test(v) ? `"${v}"` : q(v));
/** The same for a value known to be plain. */
const p = (v: string | null) => (v === null ? 'null' : `"${v}"`);
/** A JSON number or null, as JSON.stringify writes it (NaN and infinities as null). */
const num = (v: number | null) => (v === null || !Number.isFinite(v) ? 'null' : String(v));

export class PackedLogSerializer {
  /** The last process entry seen per pid (most rows follow the one before). */
  private byPid = new Map<number | null, [LogRecord, number]>();
  private byText = new Map<string, number>();
  private count = 0;
  private format: string | null = null;
  private file: string | null = null;

  lines(r: ImportedRecord): string {
    if (r.RecordType === 'ProcessRecord') return exactLine(r, EXACT_IMPORT_PROPS);
    const [out, n] = this.refer(r);
    // One test of all the row's text values together (most rows: every value plain), not one a value.
    const str = PLAIN.test(`${r.Time ?? ''}${r.Protocol ?? ''}${r.AddressFamily ?? ''}${r.LocalAddress ?? ''}${r.RemoteAddress ?? ''}${r.State ?? ''}`
      + `${r.PreviousState ?? ''}${r.OwnerStatus ?? ''}${r.FirstSeen ?? ''}${r.LastSeen ?? ''}${r.Source ?? ''}${r.Message ?? ''}`) ? p : s;
    return `${out}[${n},${str(r.Time)},${q(r.Event)},${str(r.Protocol)},${str(r.AddressFamily)},${str(r.LocalAddress)},${num(r.LocalPort)},`
      + `${str(r.RemoteAddress)},${num(r.RemotePort)},${str(r.State)},${str(r.PreviousState)},${str(r.OwnerStatus)},${str(r.FirstSeen)},${str(r.LastSeen)},`
      + `${num(r.DurationSeconds)},${num(r.BytesSent)},${num(r.BytesReceived)},${str(r.Source)},${str(r.Message)},${num(r.LogLine)}]\n`;
  }

  /** The context line when the file is not the last row's, else ''. */
  context(format: string, file: string): string {
    if (format === this.format && file === this.file) return '';
    this.format = format;
    this.file = file;
    return `{"Packed":${PACKED_VERSION},"LogFormat":${q(format)},"LogFile":${q(file)}}\n`;
  }

  /** What a row of r needs before it (its context line, its process entry when new) and its entry's number. */
  refer(r: LogRecord): [string, number] {
    let out = this.context(r.LogFormat, r.LogFile);
    const seen = this.byPid.get(r.ProcessId);
    if (seen && sameProcess(seen[0], r)) return [out, seen[1]];
    const entry = processEntry(r);
    let known = this.byText.get(entry);
    if (known === undefined) {
      known = ++this.count;
      this.byText.set(entry, known);
      out += entry;
    }
    this.byPid.set(r.ProcessId, [r, known]);
    return [out, known];
  }
}
