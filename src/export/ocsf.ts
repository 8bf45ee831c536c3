/**
 * OCSF Network Activity events (class_uid 4001, schema 1.8.0; docs/export.md): Open, Close,
 * Listen, or Traffic for a socket seen in a snapshot or a state change. The initiator is
 * src_endpoint; the process and user are the actor (host profile), the host the device. The hosted
 * services of a process (each svchost.exe's) are process.hosted_services, an attribute of the
 * Windows extension, declared in metadata.extensions when used. What OCSF has no attribute for
 * (owner status, the log's file and line, exact bytes of text that is not UTF-8) is in unmapped.
 */
import { VERSION } from '../version.js';
import { isoToMs } from '../util/time.js';
import { prune } from './ecs.js';
import { text, type Flow } from './flow.js';

export const OCSF_VERSION = '1.8.0';
const CLASS_UID = 4001;
const CATEGORY_UID = 4;
/** The Windows extension of OCSF 1.8.0 (hosted_services). */
const WIN_EXTENSION = { name: 'win', uid: '2', version: '1.8.0' };

const ACTIVITY: Record<string, [number, string]> = { Open: [1, 'Open'], Close: [2, 'Close'], Listen: [7, 'Listen'], Traffic: [6, 'Traffic'] };
const DIRECTION: Record<Flow['direction'], [number, string]> = { unknown: [0, 'Unknown'], inbound: [1, 'Inbound'], outbound: [2, 'Outbound'] };

type Doc = Record<string, unknown>;

export function ocsfEvent(f: Flow): Doc {
  const exact: Record<string, string> = {};
  const t = (v: string | null, path: string) => text(v, path, exact);
  const [activityId, activity] = ACTIVITY[f.listen ? 'Listen' : f.event === 'Open' ? 'Open' : f.event === 'Close' ? 'Close' : 'Traffic'];
  const [directionId, direction] = DIRECTION[f.listen ? 'unknown' : f.direction];
  const local = { ip: f.localAddress, port: f.localPort };
  const remote = { ip: f.remoteAddress, port: f.remotePort };
  const outbound = f.direction !== 'inbound';
  const time = isoToMs(f.time);
  const exe = t(f.executable, 'actor.process.file.path');
  const user = { name: t(f.userName, 'actor.user.name'), uid: t(f.userId, 'actor.user.uid') };
  // hosted_services is the Windows extension's (win_service): a Linux unit stays in unmapped.
  const hosted = (f.windows ? f.hostedServices : []).map((s, i) => ({ name: t(s, `actor.process.hosted_services.${i}.name`) }));
  const start = f.processStart === null ? null : isoToMs(f.processStart);
  const ev = prune({
    class_uid: CLASS_UID, class_name: 'Network Activity', category_uid: CATEGORY_UID, category_name: 'Network Activity',
    activity_id: activityId, activity_name: activity, type_uid: CLASS_UID * 100 + activityId, type_name: `Network Activity: ${activity}`,
    severity_id: 1, severity: 'Informational', time,
    start_time: f.firstSeen === null ? null : isoToMs(f.firstSeen),
    duration: f.durationSeconds === null ? null : Math.round(f.durationSeconds * 1000),
    metadata: {
      version: OCSF_VERSION, profiles: ['host'], extensions: hosted.length ? [WIN_EXTENSION] : [],
      product: { name: 'PortReport', vendor_name: 'PortReport', version: VERSION },
      log_name: f.logFile ? 'connections' : 'snapshot',
    },
    // The listening endpoint is the responder of the connections to come.
    src_endpoint: f.listen ? null : outbound ? local : remote,
    dst_endpoint: f.listen ? local : outbound ? remote : local,
    connection_info: {
      direction_id: directionId, direction, protocol_name: f.protocol?.toLowerCase() ?? null, protocol_num: f.protocol === 'TCP' ? 6 : f.protocol === 'UDP' ? 17 : null,
      protocol_ver_id: f.family === 'IPv4' ? 4 : f.family === 'IPv6' ? 6 : null, community_uid: f.communityId,
    },
    traffic: f.bytesSent === null && f.bytesReceived === null ? null
      : { bytes_out: f.bytesSent, bytes_in: f.bytesReceived, bytes: (f.bytesSent ?? 0) + (f.bytesReceived ?? 0) },
    actor: {
      process: f.pid === null && f.processName === null ? null : {
        pid: f.pid, name: t(f.processName, 'actor.process.name'), cmd_line: t(f.commandLine, 'actor.process.cmd_line'), created_time: start,
        file: exe === null ? null : { path: exe, name: exe.split(/[\\/]/).pop() ?? exe, type_id: 1, hashes: f.sha256 ? [{ algorithm_id: 3, algorithm: 'SHA-256', value: f.sha256 }] : [] },
        parent_process: f.parentPid === null ? null : { pid: f.parentPid },
        user, hosted_services: hosted,
      },
      user,
    },
    device: { hostname: t(f.host, 'device.hostname'), type_id: 0, type: 'Unknown' },
    unmapped: {
      portreport_event: f.event, portreport_state: f.state, portreport_owner_status: f.ownerStatus,
      portreport_service_name: t(f.serviceName, 'unmapped.portreport_service_name'),
      portreport_container_id: t(f.containerId, 'unmapped.portreport_container_id'), portreport_container_name: t(f.containerName, 'unmapped.portreport_container_name'),
      portreport_log_file: t(f.logFile, 'unmapped.portreport_log_file'), portreport_log_line: f.logLine,
    },
  });
  if (Object.keys(exact).length) ((ev.unmapped ??= {}) as Doc).portreport_exact_bytes = exact;
  return ev;
}
