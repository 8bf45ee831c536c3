/**
 * Elastic Common Schema 9 documents (docs/export.md): one per socket event, nested objects as ECS
 * defines them (event, source, destination, network, process, user, host, container). What ECS
 * has no field for goes under `portreport.*`: the hosted services of a process (svchost.exe's,
 * a systemd unit), the owner status, the log's file and line, and the exact bytes of text that is
 * not UTF-8 (base64, by field path).
 */
import { VERSION } from '../version.js';
import { text, type Flow } from './flow.js';

export const ECS_VERSION = '9.0.0';

type Doc = Record<string, unknown>;

/** Drop null, undefined and empty objects, so every field present has a value of its type. */
export function prune(o: Doc): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'object' && !Array.isArray(v)) {
      const p = prune(v as Doc);
      if (Object.keys(p).length) out[k] = p;
    } else if (!(Array.isArray(v) && v.length === 0)) out[k] = v;
  }
  return out;
}

const ACTION: Record<string, string> = { Open: 'network-open', Close: 'network-close', StateChange: 'network-state-change', Socket: 'network-socket', Seen: 'network-socket' };

export function ecsDocument(f: Flow): Doc {
  const exact: Record<string, string> = {};
  const t = (v: string | null, path: string) => text(v, path, exact);
  const types = f.listen ? ['info'] : f.event === 'Open' ? ['start', 'connection'] : f.event === 'Close' ? ['end', 'connection'] : ['connection', 'info'];
  const local = { ip: f.localAddress, port: f.localPort };
  const remote = { ip: f.remoteAddress, port: f.remotePort };
  const outbound = f.direction !== 'inbound';
  // The initiator is the source: this host for outbound connections and listeners.
  const source = f.listen ? local : outbound ? { ...local, bytes: f.bytesSent } : { ...remote, bytes: f.bytesReceived };
  const destination = f.listen ? null : outbound ? { ...remote, bytes: f.bytesReceived } : { ...local, bytes: f.bytesSent };
  const exe = t(f.executable, 'process.executable');
  const doc = prune({
    '@timestamp': f.time,
    ecs: { version: ECS_VERSION },
    event: {
      kind: 'event', category: ['network'], type: types, action: f.listen ? 'network-listen' : ACTION[f.event] ?? 'network-socket', module: 'portreport',
      dataset: f.logFile ? 'portreport.connections' : 'portreport.snapshot', start: f.firstSeen,
      duration: f.durationSeconds === null ? null : Math.round(f.durationSeconds * 1e9), outcome: 'unknown',
    },
    source, destination,
    network: {
      transport: f.protocol?.toLowerCase() ?? null, type: f.family?.toLowerCase() ?? null, direction: f.listen ? 'unknown' : f.direction,
      community_id: f.communityId, bytes: f.bytesSent !== null || f.bytesReceived !== null ? (f.bytesSent ?? 0) + (f.bytesReceived ?? 0) : null,
    },
    // A socket no process was found for has no process (not one made of its user alone).
    process: f.pid === null && f.processName === null ? null : {
      pid: f.pid, name: t(f.processName, 'process.name'), executable: exe, command_line: t(f.commandLine, 'process.command_line'),
      start: f.processStart, parent: { pid: f.parentPid }, hash: { sha256: f.sha256 },
      user: { name: t(f.userName, 'process.user.name'), id: t(f.userId, 'process.user.id') },
    },
    user: { name: t(f.userName, 'user.name'), id: t(f.userId, 'user.id') },
    host: { name: t(f.host, 'host.name'), hostname: t(f.host, 'host.hostname') },
    container: { id: t(f.containerId, 'container.id'), name: t(f.containerName, 'container.name'), runtime: f.containerRuntime },
    portreport: {
      version: VERSION, event: f.event, state: f.state, owner_status: f.ownerStatus, service_name: t(f.serviceName, 'portreport.service_name'),
      hosted_services: f.hostedServices.map((s, i) => t(s, `portreport.hosted_services.${i}`)),
      log: { file: t(f.logFile, 'portreport.log.file'), line: f.logLine },
    },
  });
  if (Object.keys(exact).length) (doc.portreport as Doc).exact_bytes = exact;
  return doc;
}
