/**
 * NDJSON serialization of connection records, the hot path of a snapshot: the process part of a
 * record (identical for every socket of one process) is serialized once per process and reused.
 * The result parses to exactly what JSON.stringify(record) gives (a test holds it to that).
 */
import type { ConnectionRecord } from '../model/record.js';
import type { Sink } from './sink.js';
import { hasEscapedBytes } from '../util/bytes.js';

const q = JSON.stringify;

/**
 * Some JSON readers (Newtonsoft, behind PowerShell's ConvertFrom-Json) turn a lone surrogate into
 * U+FFFD, which would lose an escaped raw byte. So a record whose text holds escaped bytes also
 * carries "Utf16": for each such property, its exact UTF-16 code units (an array of strings' code
 * units for Modules). Readers that keep lone surrogates can ignore it. Contract 1, docs/record.md.
 */
const EXACT_PROPS = ['ProcessName', 'ExecutablePath', 'CommandLine', 'UserName', 'ServiceName', 'Modules'] as const;

function codeUnits(s: string): number[] {
  const out = new Array<number>(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The "Utf16" member for a record (with leading comma), or '' when no text holds raw bytes. */
export function utf16Member(r: object, props: readonly string[] = EXACT_PROPS): string {
  let parts = '';
  for (const p of props) {
    const v = (r as Record<string, unknown>)[p];
    if (typeof v === 'string' && hasEscapedBytes(v)) parts += `${parts ? ',' : ''}"${p}":${q(codeUnits(v))}`;
    else if (Array.isArray(v) && v.some((x) => typeof x === 'string' && hasEscapedBytes(x))) parts += `${parts ? ',' : ''}"${p}":${q(v.map(codeUnits))}`;
  }
  return parts ? `,"Utf16":{${parts}}` : '';
}

function processPart(r: ConnectionRecord): string {
  return `"ProcessId":${r.ProcessId},"ProcessName":${q(r.ProcessName)},"ExecutablePath":${q(r.ExecutablePath)},`
    + `"CommandLine":${q(r.CommandLine)},"ParentProcessId":${r.ParentProcessId},"ProcessStartTime":${q(r.ProcessStartTime)},`
    + `"UserName":${q(r.UserName)},"UserId":${q(r.UserId)},"ServiceName":${q(r.ServiceName)},"IsService":${r.IsService},`
    + `"Modules":${q(r.Modules)},"ExecutableSha256":${q(r.ExecutableSha256)},`;
}

/** The Linux extension's per-process part (its socket part is written per record). */
function linuxProcessPart(r: ConnectionRecord): string {
  const l = r.Linux;
  return l ? `"CgroupPath":${q(l.CgroupPath)},"NetNamespace":${q(l.NetNamespace)},"ContainerId":${q(l.ContainerId)},"ContainerName":${q(l.ContainerName ?? null)},`
    + `"ContainerRuntime":${q(l.ContainerRuntime)},"PodUid":${q(l.PodUid)},"Source":${q(l.Source)}}` : '';
}

export class NdjsonSerializer {
  private procs = new Map<string, [string, string, string]>();
  private tailKey = '';
  private tail = '';

  line(r: ConnectionRecord): string {
    let hit: [string, string, string] | undefined;
    if (r.ProcessId === null) hit = [processPart(r), utf16Member(r), linuxProcessPart(r)];
    else {
      // pid + start time name one process; its fields are the same in every record of a snapshot.
      // The namespace is the socket's: one process may hold sockets in two.
      const key = `${r.ProcessId}|${r.ProcessStartTime}|${r.Modules === null ? 0 : 1}|${r.Linux?.Source}|${r.Linux?.NetNamespace}`;
      hit = this.procs.get(key);
      if (hit === undefined) { hit = [processPart(r), utf16Member(r), linuxProcessPart(r)]; this.procs.set(key, hit); }
    }
    // Host, observation time and platform are the same for a whole snapshot.
    const tailKey = `${r.HostName}\n${r.ObservedAt}\n${r.Platform}`;
    if (tailKey !== this.tailKey) {
      this.tailKey = tailKey;
      this.tail = `"HostName":${q(r.HostName)},"ObservedAt":${q(r.ObservedAt)},"Platform":${q(r.Platform)}`;
    }
    const l = r.Linux;
    // Cookies are decimal digits (u64 as text), so need no escaping.
    const linux = l ? `,"Linux":{"Inode":${l.Inode},"Cookie":${l.Cookie === null ? 'null' : `"${l.Cookie}"`},"SocketUid":${l.SocketUid},${hit[2]}`
      : r.Windows ? `,"Windows":${q(r.Windows)}` : '';
    return `{"Protocol":"${r.Protocol}","AddressFamily":"${r.AddressFamily}","LocalAddress":${q(r.LocalAddress)},"LocalPort":${r.LocalPort},`
      + `"RemoteAddress":${q(r.RemoteAddress)},"RemotePort":${r.RemotePort},"State":"${r.State}",${hit[0]}`
      + `"BytesSent":${r.BytesSent},"BytesReceived":${r.BytesReceived},"OwnerStatus":"${r.OwnerStatus}",`
      + `${this.tail}${linux}${hit[1]}}\n`;
  }
}

/** Lines to a sink in chunks of about 64 KiB (one write per chunk, not per line). */
export function lineWriter(out: Sink): { add(line: string): void; end(): void } {
  let chunk = '';
  return {
    add(line) {
      chunk += line;
      if (chunk.length > 65536) { out(chunk); chunk = ''; }
    },
    end() {
      if (chunk) out(chunk);
      chunk = '';
    },
  };
}

/** Any record as one JSON line, with the "Utf16" member when text in props holds raw bytes. */
export function exactLine(r: object, props: readonly string[]): string {
  const json = JSON.stringify(r);
  const exact = utf16Member(r, props);
  return (exact ? `${json.slice(0, -1)}${exact}}` : json) + '\n';
}

/** NDJSON: one record a line. JSON escapes lone surrogates, so raw bytes survive as \udcXX. */
export function writeNdjson(records: Iterable<ConnectionRecord>, out: Sink): void {
  const ser = new NdjsonSerializer();
  const w = lineWriter(out);
  for (const r of records) w.add(ser.line(r));
  w.end();
}
