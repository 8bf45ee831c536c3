/**
 * What the SIEM formats (ecs.ts, ocsf.ts) are written from (docs/export.md): one socket event,
 * from a log record or a live record, with its direction (inbound when its local port is a
 * listener seen so far on the host, outbound when its remote port is one, else by the lower port:
 * the analyses' rule) and its Community ID. Text holding raw bytes (not UTF-8) is given with
 * U+FFFD where the bytes were, and the exact bytes travel base64 in a side table (the formats put
 * it in their own namespaced field), so any name round-trips and every SIEM gets valid UTF-8.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { ConnectionRecord } from '../model/record.js';
import type { LogRecord } from '../import/records.js';
import { encodeBytes, hasEscapedBytes } from '../util/bytes.js';
import { unmapIPv4 } from '../util/ip.js';

export interface Flow {
  time: string;
  event: string;
  protocol: 'TCP' | 'UDP' | null;
  family: 'IPv4' | 'IPv6' | null;
  localAddress: string | null;
  localPort: number | null;
  remoteAddress: string | null;
  remotePort: number | null;
  state: string | null;
  listen: boolean;
  direction: 'inbound' | 'outbound' | 'unknown';
  communityId: string | null;
  pid: number | null;
  processName: string | null;
  executable: string | null;
  commandLine: string | null;
  parentPid: number | null;
  processStart: string | null;
  sha256: string | null;
  userName: string | null;
  userId: string | null;
  serviceName: string | null;
  hostedServices: string[];
  /** A Windows process (its services are Windows services). */
  windows: boolean;
  host: string | null;
  containerId: string | null;
  containerName: string | null;
  containerRuntime: string | null;
  bytesSent: number | null;
  bytesReceived: number | null;
  durationSeconds: number | null;
  firstSeen: string | null;
  ownerStatus: string | null;
  logFile: string | null;
  logLine: number | null;
}

const LISTEN_EVENTS = new Set(['Open', 'Close', 'StateChange', 'Socket', 'Seen']);

/** Direction needs the listeners met so far, per host; one tracker per export. */
export class FlowBuilder {
  private listeners = new Set<string>();

  fromLog(r: LogRecord): Flow | null {
    if (!LISTEN_EVENTS.has(r.Event) || r.Time === null) return null;
    return this.flow({
      time: r.Time, event: r.Event, protocol: r.Protocol as Flow['protocol'], family: r.AddressFamily as Flow['family'],
      localAddress: unmapIPv4(r.LocalAddress), localPort: r.LocalPort, remoteAddress: unmapIPv4(r.RemoteAddress), remotePort: r.RemotePort, state: r.State,
      pid: r.ProcessId, processName: r.ProcessName, executable: r.ExecutablePath, commandLine: r.CommandLine, parentPid: null, processStart: r.ProcessStartTime,
      sha256: null, userName: r.UserName, userId: r.UserId, serviceName: r.ServiceName, hostedServices: splitServices(r.ServiceName), host: r.HostName,
      containerId: r.ContainerId, containerName: r.ContainerName, containerRuntime: null, bytesSent: r.BytesSent, bytesReceived: r.BytesReceived,
      durationSeconds: r.DurationSeconds, firstSeen: r.FirstSeen, ownerStatus: r.OwnerStatus, logFile: r.LogFile, logLine: r.LogLine,
    });
  }

  fromLive(r: ConnectionRecord): Flow {
    return this.flow({
      time: r.ObservedAt, event: 'Socket', protocol: r.Protocol, family: r.AddressFamily, localAddress: unmapIPv4(r.LocalAddress), localPort: r.LocalPort,
      remoteAddress: unmapIPv4(r.RemoteAddress), remotePort: r.RemotePort, state: r.State, pid: r.ProcessId, processName: r.ProcessName, executable: r.ExecutablePath,
      commandLine: r.CommandLine, parentPid: r.ParentProcessId, processStart: r.ProcessStartTime, sha256: r.ExecutableSha256, userName: r.UserName, userId: r.UserId,
      serviceName: r.ServiceName, hostedServices: r.Windows?.HostedServices ?? splitServices(r.ServiceName), host: r.HostName,
      containerId: r.Linux?.ContainerId ?? null, containerName: r.Linux?.ContainerName ?? null, containerRuntime: r.Linux?.ContainerRuntime ?? null,
      bytesSent: r.BytesSent, bytesReceived: r.BytesReceived, durationSeconds: null, firstSeen: null, ownerStatus: r.OwnerStatus, logFile: null, logLine: null,
    });
  }

  private flow(f: Omit<Flow, 'listen' | 'direction' | 'communityId' | 'windows'>): Flow {
    const windows = /^[A-Za-z]:\\/.test(f.executable ?? '') || /\.exe$/i.test(f.processName ?? '');
    const listen = f.state === 'Listen' || (f.protocol === 'UDP' && (f.remotePort === null || f.remotePort === 0));
    const key = (port: number | null) => `${f.host ?? ''}|${f.protocol ?? ''}|${port ?? ''}`;
    if (listen) this.listeners.add(key(f.localPort));
    const direction: Flow['direction'] = listen ? 'unknown'
      : this.listeners.has(key(f.localPort)) ? 'inbound'
        : this.listeners.has(key(f.remotePort)) ? 'outbound'
          : f.localPort !== null && f.remotePort !== null ? (f.localPort < f.remotePort ? 'inbound' : 'outbound') : 'unknown';
    return { ...f, windows, listen, direction, communityId: listen ? null : communityId(f.protocol, f.localAddress, f.localPort, f.remoteAddress, f.remotePort) };
  }
}

const splitServices = (s: string | null) => (s === null ? [] : [...new Set(s.split(/,\s*/).filter((x) => x !== ''))].sort());

function ipBytes(a: string): Buffer | null {
  const v = isIP(a);
  if (v === 4) return Buffer.from(a.split('.').map(Number));
  if (v !== 6) return null;
  const [head, tail] = a.includes('::') ? a.split('::') : [a, null];
  const parse = (s: string) => (s === '' ? [] : s.split(':'));
  let h = parse(head);
  let t = tail === null ? [] : parse(tail);
  // An IPv4 tail (::ffff:1.2.3.4) is two groups.
  const v4 = (g: string[]) => (g.length && g[g.length - 1].includes('.') ? [...g.slice(0, -1), ...(() => { const b = g[g.length - 1].split('.').map(Number); return [((b[0] << 8) | b[1]).toString(16), ((b[2] << 8) | b[3]).toString(16)]; })()] : g);
  if (tail === null) h = v4(h); else t = v4(t);
  const groups = tail === null ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16) & 0xffff, i * 2));
  return out;
}

/** Community ID v1 (seed 0) of a TCP or UDP flow: "1:" + base64(SHA-1(seed, ordered addresses, protocol, 0, ordered ports)). */
export function communityId(proto: string | null, a: string | null, ap: number | null, b: string | null, bp: number | null): string | null {
  const num = proto === 'TCP' ? 6 : proto === 'UDP' ? 17 : null;
  if (num === null || a === null || b === null || ap === null || bp === null) return null;
  const x = ipBytes(a);
  const y = ipBytes(b);
  if (!x || !y || x.length !== y.length) return null;
  const c = Buffer.compare(x, y);
  const [s, sp, d, dp] = c < 0 || (c === 0 && ap <= bp) ? [x, ap, y, bp] : [y, bp, x, ap];
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(sp, 0);
  ports.writeUInt16BE(dp, 2);
  const h = createHash('sha1').update(Buffer.from([0, 0])).update(s).update(d).update(Buffer.from([num, 0])).update(ports).digest('base64');
  return `1:${h}`;
}

/**
 * Text for a SIEM: valid UTF-8 (raw bytes as U+FFFD); the exact bytes, base64, recorded under
 * the field's path in `exact` when they are not text.
 */
export function text(v: string | null, path: string, exact: Record<string, string>): string | null {
  if (v === null) return null;
  if (!hasEscapedBytes(v) && !/[\ud800-\udfff]/.test(v)) return v;
  exact[path] = encodeBytes(v).toString('base64');
  return v.replace(/[\udc80-\udcff]/g, '\ufffd').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
