/**
 * Port Reporter 1.x: PR-PORTS rows become LogRecords, joined with the process details of the
 * PR-PIDS file the PORTS file names: same pid, the block with the nearest earlier time (the process
 * that held that pid then). PR-PIDS / PR-INITIAL blocks become ProcessRecords.
 */
import type { LegacyPidsFile, LegacyPortRow, LegacyProcess } from './legacy.js';
import { emptyLogRecord, emptyProcessRecord, type LogRecord, type ProcessRecord } from './records.js';

export const LEGACY_FORMAT = 'PortReporter/1';

export class PidIndex {
  private byPid = new Map<number, LegacyProcess[]>();

  constructor(pids: LegacyPidsFile | null) {
    for (const p of pids?.processes ?? []) {
      const list = this.byPid.get(p.pid);
      if (list) list.push(p); else this.byPid.set(p.pid, [p]);
    }
    for (const list of this.byPid.values()) list.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
  }

  /** The block for this pid with the latest time not after `time` (else the earliest one). */
  find(pid: number, time: string): LegacyProcess | null {
    const list = this.byPid.get(pid);
    if (!list) return null;
    let best: LegacyProcess | null = null;
    for (const p of list) if (p.time === null || p.time <= time) best = p;
    return best ?? list[0];
  }
}

const services = (p: LegacyProcess) => (p.services.length ? p.services.map((s) => s.name).join(', ') : null);

export function portRowToRecord(r: LegacyPortRow, file: string, index: PidIndex, host: string | null): LogRecord {
  const rec = emptyLogRecord(LEGACY_FORMAT, file, r.line);
  const p = r.pid !== null ? index.find(r.pid, r.time) : null;
  Object.assign(rec, {
    Time: r.time, Event: 'Seen', Protocol: r.protocol, AddressFamily: 'IPv4', LocalAddress: r.localAddress, LocalPort: r.localPort,
    RemoteAddress: r.remoteAddress, RemotePort: r.remotePort, State: r.state, ProcessId: r.pid,
    ProcessName: r.module ?? p?.name ?? null, ExecutablePath: p?.path ?? null, UserName: r.user ?? p?.user ?? null,
    ServiceName: p ? services(p) : null, IsService: p ? p.services.length > 0 : null, Modules: p && p.modules.length ? p.modules : null,
    OwnerStatus: r.pid === null ? 'NotFound' : 'Known', HostName: host,
  });
  return rec;
}

export function processBlockToRecord(p: LegacyProcess, file: string, host: string | null): ProcessRecord {
  const rec = emptyProcessRecord(LEGACY_FORMAT, file, p.line);
  Object.assign(rec, {
    Time: p.time, Event: 'Seen', ProcessId: p.pid, ProcessName: p.name, ExecutablePath: p.path, UserName: p.user,
    ServiceName: services(p), IsService: p.services.length > 0, Modules: p.modules.length ? p.modules : null, HostName: host,
  });
  return rec;
}
