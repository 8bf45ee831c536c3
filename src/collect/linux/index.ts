/** The Linux collector: sockets (netlink or /proc/net) + owners (/proc/<pid>/fd) + process context. */
import { hostname } from 'node:os';
import type { ConnectionRecord, OwnerStatus, ProcessInfo, RawSocket } from '../../model/record.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { Filter } from '../../filter.js';
import type { Collector, SnapshotOptions } from '../types.js';
import { addModulesAndHashes } from '../extras.js';
import { ALL_TARGETS, dumpRaw, dumpSockets, parseDumpReplies, type DumpTarget, type RawDump } from './netlink.js';
import { closeDiagSockets, openDiagSockets, otherNamespaces, ownNamespace } from './netns.js';
import { readProcNet } from './procnet.js';
import { listPids, scanSocketOwners, type FdScanResult } from './fdscan.js';
import { parallelAvailable, parallelSnapshot } from './parallel.js';
import { ProcessReader } from './process.js';
import { containerFields } from './containername.js';


function targetsFor(opts: SnapshotOptions): DumpTarget[] {
  const protos = opts.filter.protocol;
  return protos?.length ? ALL_TARGETS.filter((t) => protos.includes(t.protocol)) : ALL_TARGETS;
}

/** Sockets from netlink (already dumped by a worker, or dumped here), else /proc/net. */
function enumerate(opts: SnapshotOptions, diags: Diagnostic[], dumped: RawDump[] | null): RawSocket[] {
  if (opts.source !== 'procfs') {
    try {
      return dumped ? parseDumpReplies(dumped) : dumpSockets(targetsFor(opts));
    } catch (e) {
      if (opts.source === 'netlink') throw e;
      diags.push({ Level: 'warning', Code: 'PR_NETLINK_UNAVAILABLE', Message: `netlink sock_diag unavailable (${(e as Error).message}); reading /proc/net instead` });
    }
  }
  const protos = opts.filter.protocol;
  return readProcNet('/proc', (e) => diags.push({ Level: 'warning', Code: (e as { code?: string }).code ?? 'PR_PROCNET_READ', Message: e.message }))
    .filter((s) => !protos?.length || protos.includes(s.protocol));
}

/**
 * Sockets and their owners. Unfiltered: nearly every socket needs an owner, so a worker dumps
 * netlink while this thread scans every fd, and both share the rest of the scan. Filtered: dump
 * first, then scan only until the few wanted inodes are found.
 */
async function socketsAndOwners(opts: SnapshotOptions, filter: Filter, diags: Diagnostic[], others: RawSocket[]): Promise<[RawSocket[], FdScanResult]> {
  // Our own namespace's sockets are tagged with it; other namespaces' came tagged (netns.ts).
  const own = ownNamespace();
  const ours = (list: RawSocket[]) => { for (const s of list) s.netns = own; return others.length ? list.concat(others) : list; };
  if (!filter.narrowsSockets && parallelAvailable()) {
    const par = await parallelSnapshot(opts.source === 'procfs' ? null : targetsFor(opts));
    // A dump the worker could not make is retried here, so its error (or the fallback) is ours.
    const dumped = par.dump && 'dumps' in par.dump ? par.dump.dumps : null;
    return [ours(enumerate(opts, diags, dumped)).filter((s) => filter.socket(s)), par.scan];
  }
  const sockets = ours(enumerate(opts, diags, null)).filter((s) => filter.socket(s));
  const wanted = new Set<number>();
  for (const s of sockets) if (s.inode !== 0) wanted.add(s.inode);
  return [sockets, scanSocketOwners(wanted)];
}

/**
 * The sockets of every other network namespace (each container's), through sock_diag sockets made
 * inside them (netns.ts); none when this host has one namespace. /proc/net shows only ours.
 */
async function namespaceSockets(opts: SnapshotOptions, diags: Diagnostic[]): Promise<RawSocket[]> {
  if (opts.source === 'procfs') return [];
  const list = otherNamespaces(listPids('/proc'));
  if (list.length === 0) return [];
  const { sockets, failed } = await openDiagSockets(list);
  // One warning for all (a desktop's browser sandboxes alone are dozens of namespaces).
  if (failed.length) {
    const named = failed.slice(0, 5).map((f) => `${f.ns.id}${f.ns.pid !== null ? ` (pid ${f.ns.pid})` : ''}`).join(', ');
    diags.push({ Level: 'warning', Code: 'PR_NETNS_UNAVAILABLE', Target: failed[0].ns.id,
      Message: `${failed.length} network namespace${failed.length > 1 ? 's' : ''} could not be entered (${failed[0].error}${process.getuid?.() !== 0 ? '; run as root' : ''}): ${named}${failed.length > 5 ? ', …' : ''}; their sockets are not in this snapshot` });
  }
  const out: RawSocket[] = [];
  try {
    for (const d of sockets) {
      try {
        for (const s of parseDumpReplies(dumpRaw(targetsFor(opts), false, d.fd))) { s.netns = d.ns.id; out.push(s); }
      } catch (e) {
        diags.push({ Level: 'warning', Code: 'PR_NETNS_UNAVAILABLE', Message: `network namespace ${d.ns.id}: ${(e as Error).message}; its sockets are not in this snapshot`, Target: d.ns.id });
      }
    }
  } finally {
    closeDiagSockets(sockets);
  }
  return out;
}

export const collectLinux: Collector = async (opts: SnapshotOptions) => {
  const diags: Diagnostic[] = [];
  const filter = new Filter(opts.filter);
  const observedAt = new Date().toISOString();
  const host = hostname();
  const [sockets, scan] = await socketsAndOwners(opts, filter, diags, await namespaceSockets(opts, diags));
  if (scan.deniedPids > 0) {
    diags.push({ Level: 'warning', Code: 'PR_OWNER_ACCESS_DENIED', Message: `${scan.deniedPids} processes' open files could not be read; run as root to attribute every socket` });
  }

  const reader = new ProcessReader();
  const procs = new Map<number, ProcessInfo | null>();
  const basic = { includeModules: false, includeHash: false };
  const myUid = process.getuid?.() ?? 0;
  const records: ConnectionRecord[] = [];
  for (const s of sockets) {
    const pid = s.inode !== 0 ? scan.owners.get(s.inode) : undefined;
    let info: ProcessInfo | null = null;
    if (pid !== undefined) {
      if (!procs.has(pid)) procs.set(pid, reader.read(pid, basic));
      info = procs.get(pid)!;
    }
    let status: OwnerStatus = 'Known';
    if (s.inode === 0) status = 'NoInode';
    else if (!info) status = scan.deniedPids > 0 && s.uid !== myUid ? 'AccessDenied' : 'NotFound';
    const r = toRecord(s, info, status, host, observedAt, reader);
    if (filter.process(r)) records.push(r);
  }

  // Modules and hashes only for the records the filters kept (the rest of the context was read above).
  addModulesAndHashes(records, opts, (pid) => reader.modules(pid), (p) => reader.hash(p), (r) => `/proc/${r.ProcessId}/exe`);
  return { records, diagnostics: diags };
};

function toRecord(s: RawSocket, p: ProcessInfo | null, status: OwnerStatus, host: string, at: string, reader: ProcessReader): ConnectionRecord {
  // Without a process, the socket's own uid (its creator) still names a user, except for inode-less sockets.
  const uid = p ? p.UserId : s.inode !== 0 ? String(s.uid) : null;
  return {
    Protocol: s.protocol,
    AddressFamily: s.family,
    LocalAddress: s.localAddress,
    LocalPort: s.localPort,
    RemoteAddress: s.remoteAddress,
    RemotePort: s.remotePort,
    State: s.state,
    ProcessId: p ? p.ProcessId : null,
    ProcessName: p ? p.ProcessName : null,
    ExecutablePath: p ? p.ExecutablePath : null,
    CommandLine: p ? p.CommandLine : null,
    ParentProcessId: p ? p.ParentProcessId : null,
    ProcessStartTime: p ? p.ProcessStartTime : null,
    UserName: p ? p.UserName : uid !== null ? reader.users.name(Number(uid)) : null,
    UserId: uid,
    ServiceName: p ? p.ServiceName : null,
    IsService: p ? p.IsService : false,
    Modules: null,
    ExecutableSha256: null,
    BytesSent: s.bytesAcked,
    BytesReceived: s.bytesReceived,
    OwnerStatus: status,
    HostName: host,
    ObservedAt: at,
    Platform: 'Linux',
    Linux: {
      Inode: s.inode,
      Cookie: s.cookie,
      SocketUid: s.uid,
      CgroupPath: p?.CgroupPath ?? null,
      NetNamespace: s.netns ?? p?.NetNamespace ?? null,
      ...containerFields(p?.CgroupPath ?? null),
      Source: s.source,
    },
  };
}
