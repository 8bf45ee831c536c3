/**
 * The packed snapshot format of contract 2 (docs/record.md), what the module reads: each process's
 * context travels once, each socket is a short positional row that refers to it. Three kinds of
 * line, told apart by their first bytes:
 *   {"Packed":2,"HostName":…,"ObservedAt":…,"Platform":…}   context for the rows after it
 *   {"ProcessId":…,…}                                         process entry n (numbered from 1)
 *   [n,"TCP","IPv4",LocalAddress,LocalPort,RemoteAddress,RemotePort,State,
 *      BytesSent,BytesReceived,OwnerStatus,ext]               one socket of process entry n
 * ext is [Inode,Cookie,SocketUid,Source] on Linux, the Windows extension object on Windows, or
 * null. A process entry holds the record's process properties (as in contract 1, with "Utf16" when
 * text holds raw bytes) and, on Linux, "Linux":{"CgroupPath","NetNamespace","ContainerId",
 * "ContainerRuntime","PodUid"}. Every record of a
 * snapshot converts back to exactly the contract-1 record (a test holds it to that).
 */
import type { ConnectionRecord } from '../model/record.js';
import type { Sink } from './sink.js';
import { lineWriter, utf16Member } from './ndjson.js';

const q = JSON.stringify;

export const PACKED_VERSION = 2;

function processEntry(r: ConnectionRecord): string {
  const l = r.Linux;
  return `{"ProcessId":${r.ProcessId},"ProcessName":${q(r.ProcessName)},"ExecutablePath":${q(r.ExecutablePath)},`
    + `"CommandLine":${q(r.CommandLine)},"ParentProcessId":${r.ParentProcessId},"ProcessStartTime":${q(r.ProcessStartTime)},`
    + `"UserName":${q(r.UserName)},"UserId":${q(r.UserId)},"ServiceName":${q(r.ServiceName)},"IsService":${r.IsService},`
    + `"Modules":${q(r.Modules)},"ExecutableSha256":${q(r.ExecutableSha256)}`
    + (l ? `,"Linux":{"CgroupPath":${q(l.CgroupPath)},"NetNamespace":${q(l.NetNamespace)},"ContainerId":${q(l.ContainerId)},"ContainerName":${q(l.ContainerName ?? null)},`
      + `"ContainerRuntime":${q(l.ContainerRuntime)},"PodUid":${q(l.PodUid)}}` : '')
    + `${utf16Member(r)}}\n`;
}

export class PackedSerializer {
  /** Cache key of a process (as the NDJSON serializer's) to its entry number. */
  private byKey = new Map<string, number>();
  /** An entry's text to its number: records without a pid share entries by content. */
  private byText = new Map<string, number>();
  private count = 0;
  private context = '';

  /** The lines one record adds: a context or process entry when new, then its socket row. */
  lines(r: ConnectionRecord): string {
    let out = '';
    const context = `{"Packed":${PACKED_VERSION},"HostName":${q(r.HostName)},"ObservedAt":${q(r.ObservedAt)},"Platform":${q(r.Platform)}}\n`;
    if (context !== this.context) { this.context = context; out += context; }
    const key = r.ProcessId === null ? null : `${r.ProcessId}|${r.ProcessStartTime}|${r.Modules === null ? 0 : 1}|${r.Linux?.CgroupPath}|${r.Linux?.NetNamespace}`;
    let n = key === null ? undefined : this.byKey.get(key);
    if (n === undefined) {
      const entry = processEntry(r);
      n = this.byText.get(entry);
      if (n === undefined) {
        n = ++this.count;
        this.byText.set(entry, n);
        out += entry;
      }
      if (key !== null) this.byKey.set(key, n);
    }
    const l = r.Linux;
    // Cookies are decimal digits (u64 as text), so need no escaping.
    const ext = l ? `[${l.Inode},${l.Cookie === null ? 'null' : `"${l.Cookie}"`},${l.SocketUid},"${l.Source}"]`
      : r.Windows ? q(r.Windows) : 'null';
    return `${out}[${n},"${r.Protocol}","${r.AddressFamily}",${q(r.LocalAddress)},${r.LocalPort},${q(r.RemoteAddress)},`
      + `${r.RemotePort},"${r.State}",${r.BytesSent},${r.BytesReceived},"${r.OwnerStatus}",${ext}]\n`;
  }
}

export function writePacked(records: Iterable<ConnectionRecord>, out: Sink): void {
  const ser = new PackedSerializer();
  const w = lineWriter(out);
  for (const r of records) w.add(ser.lines(r));
  w.end();
}
