/**
 * The Windows collector: the same Collector signature and ConnectionRecord as Linux's, filled from
 * the iphlpapi tables (each row carries its pid: no scan), one toolhelp snapshot and one service
 * enumeration per collection, and per owning pid its context (process.ts). What Windows keeps
 * only for itself (socket creation time, hosted services, the owning service, session) goes in the
 * record's Windows extension. What could not be read is said, never a reason to drop a socket.
 */
import { hostname } from 'node:os';
import koffi from 'koffi';
import { iphlpapi, TcpConnectionEstatsData, TCPIP_OWNER_MODULE_INFO_BASIC } from '../../../native/windows/iphlpapi.js';
import { Filter } from '../../filter.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { ConnectionRecord, OwnerStatus } from '../../model/record.js';
import type { Collector } from '../types.js';
import { addModulesAndHashes } from '../extras.js';
import { readTables } from './iphlp.js';
import { decodeEstatsDataRod, decodeOwnerModuleBasicInfo, estatsRow, fileTimeToIso, TCP_ESTATS_DATA_ROD_V0_SIZE, type MibRow, type RowStruct } from './mibtable.js';
import { WindowsProcessReader, type WindowsProcess } from './process.js';
import { servicesByPid } from './services.js';

export const collectWindows: Collector = async (opts) => {
  const diags: Diagnostic[] = [];
  const filter = new Filter(opts.filter);
  const observedAt = new Date().toISOString();
  const host = hostname();
  const tables = readTables((m) => diags.push({ Level: 'warning', Code: 'PR_WIN_TABLE', Message: m }));
  let services = new Map<number, string[]>();
  try { services = servicesByPid(); } catch (e) {
    diags.push({ Level: 'warning', Code: 'PR_WIN_SERVICES', Message: `${(e as Error).message}; services are not named` });
  }
  const reader = new WindowsProcessReader(services);
  const bytes = connectionBytes((m) => diags.push({ Level: 'warning', Code: 'PR_WIN_ESTATS', Message: m }));
  const procs = new Map<number, WindowsProcess>();
  const records: ConnectionRecord[] = [];
  for (const t of tables) {
    for (const row of t.rows) {
      const raw = { protocol: t.protocol, state: row.state, localPort: row.localPort, remotePort: row.remotePort, remoteAddress: row.remoteAddress };
      if (!filter.socket(raw)) continue;
      let p: WindowsProcess | null = null;
      if (row.pid !== 0) {
        if (!procs.has(row.pid)) procs.set(row.pid, reader.read(row.pid));
        p = procs.get(row.pid)!;
      }
      // Pid 0: the kernel keeps no owner (TIME_WAIT), or will not say (Wine's listeners).
      // A pid that cannot be opened: denied (error 5: protected, another user's), or gone meanwhile.
      const open = p?.Denied.find((d) => d.startsWith('OpenProcess'));
      const status: OwnerStatus = row.pid === 0 ? (row.state === 'TimeWait' ? 'NoInode' : 'NotFound')
        : open ? (open.includes('(error 5)') ? 'AccessDenied' : 'NotFound') : 'Known';
      const r = toRecord(t.protocol, row, p, status, host, observedAt, t.struct.endsWith('_MODULE') ? 'OwnerModule' : 'OwnerPid');
      if (!filter.process(r)) continue;
      if (opts.includeBytes && t.protocol === 'TCP' && row.row) Object.assign(r, bytes.of(t.struct, row.row));
      records.push(r);
    }
  }
  addModulesAndHashes(records, opts, (pid) => reader.modules(pid), (p) => reader.hash(p), (r) => r.ExecutablePath);
  return { records, diagnostics: diags };
};

/**
 * Per-connection bytes through ESTATS: collection is enabled for the connection (needs
 * Administrator), then TCP_ESTATS_DATA_ROD_v0 read; the counts run from when collection was first
 * enabled, not from the connection's start. Where ESTATS is missing or refused, said once, bytes null.
 */
function connectionBytes(report: (m: string) => void) {
  let said = false;
  const once = (m: string) => { if (!said) { said = true; report(m); } };
  return {
    of(struct: RowStruct, row: Buffer): { BytesSent: number | null; BytesReceived: number | null } {
      const none = { BytesSent: null, BytesReceived: null };
      const api = iphlpapi();
      const v6 = struct.startsWith('MIB_TCP6');
      const get = v6 ? api.GetPerTcp6ConnectionEStats() : api.GetPerTcpConnectionEStats();
      const set = v6 ? api.SetPerTcp6ConnectionEStats() : api.SetPerTcpConnectionEStats();
      const key = estatsRow(struct, row);
      if (!get || !set || !key) { once('per-connection bytes: GetPerTcpConnectionEStats is not available on this system; BytesSent/BytesReceived stay empty'); return none; }
      const enable = Buffer.from([1]);
      const rc = set(key, TcpConnectionEstatsData, enable, 0, 1, 0);
      if (rc !== 0) { once(`per-connection bytes: SetPerTcpConnectionEStats refused (error ${rc}; it needs Administrator); BytesSent/BytesReceived stay empty`); return none; }
      const rod = Buffer.alloc(TCP_ESTATS_DATA_ROD_V0_SIZE);
      if (get(key, TcpConnectionEstatsData, null, 0, 0, null, 0, 0, rod, 0, rod.length) !== 0) return none;
      const d = decodeEstatsDataRod(rod);
      return d ? { BytesSent: d.bytesSent, BytesReceived: d.bytesReceived } : none;
    },
  };
}

/** The module (a service, or the image) that owns a socket, where the system resolves it. */
function owningModule(protocol: 'TCP' | 'UDP', row: MibRow): string | null {
  if (!row.row || !row.moduleInfo) return null;
  const api = iphlpapi();
  const fn = protocol === 'TCP' ? (row.family === 'IPv4' ? api.GetOwnerModuleFromTcpEntry() : api.GetOwnerModuleFromTcp6Entry())
    : (row.family === 'IPv4' ? api.GetOwnerModuleFromUdpEntry() : api.GetOwnerModuleFromUdp6Entry());
  if (!fn || !row.moduleInfo?.some((x) => x !== 0)) return null;
  const size = Buffer.alloc(4);
  size.writeUInt32LE(4096);
  const buf = Buffer.alloc(4096);
  if (fn(row.row, TCPIP_OWNER_MODULE_INFO_BASIC, buf, size) !== 0) return null;
  return decodeOwnerModuleBasicInfo(buf, koffi.address(buf)).name;
}

function toRecord(protocol: 'TCP' | 'UDP', row: MibRow, p: WindowsProcess | null, status: OwnerStatus, host: string, at: string, source: 'OwnerModule' | 'OwnerPid'): ConnectionRecord {
  const module = p ? owningModule(protocol, row) : null;
  const owning = module && p && p.HostedServices.some((s) => s.toLowerCase() === module.toLowerCase()) ? module : null;
  return {
    Protocol: protocol, AddressFamily: row.family, LocalAddress: row.localAddress, LocalPort: row.localPort,
    RemoteAddress: row.remoteAddress, RemotePort: row.remotePort, State: row.state,
    ProcessId: row.pid !== 0 ? row.pid : null,
    ProcessName: p ? p.ProcessName || null : null,
    ExecutablePath: p ? p.ExecutablePath : null, CommandLine: p ? p.CommandLine : null, ParentProcessId: p ? p.ParentProcessId : null,
    ProcessStartTime: p ? p.ProcessStartTime : null, UserName: p ? p.UserName : null, UserId: p ? p.UserId : null,
    ServiceName: owning ?? (p ? p.ServiceName : null), IsService: p ? p.IsService : false,
    Modules: null, ExecutableSha256: null, BytesSent: null, BytesReceived: null,
    OwnerStatus: status, HostName: host, ObservedAt: at, Platform: 'Windows',
    Windows: {
      CreationTime: fileTimeToIso(row.createTimestamp), HostedServices: p ? p.HostedServices : [], OwningService: owning, OwningModule: module,
      SessionId: p ? p.SessionId : null, LocalScopeId: row.localScopeId, RemoteScopeId: row.remoteScopeId, Source: source, Denied: p ? p.Denied : [],
    },
  };
}
