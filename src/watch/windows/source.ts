/**
 * The logger's Windows source: polls of the iphlpapi tables (each row with its pid), turned into
 * events by the shared tracker; owners read once per process (pid + start time) with the Windows
 * process reader, services refreshed each minute. Between polls, Kernel-Network events (the ETW
 * session of the .NET bridge, when installed and allowed) open and close the connections no poll
 * sees; lost events are a Gap row and a resynchronising poll. Without them a Coverage warning row
 * says that connections living between two polls may be missed.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startNetworkEvents, type BridgePaths, type EventSourceName, type NetworkEventStream } from '../../collect/windows/etwsession.js';
import type { NetworkEvent } from '../../collect/windows/etw.js';
import { applyNetworkEvents, windowsCookie, type PidSocket } from './events.js';
import { collectWindows } from '../../collect/windows/index.js';
import { readTables } from '../../collect/windows/iphlp.js';
import { WindowsProcessReader, type WindowsProcess } from '../../collect/windows/process.js';
import { servicesByPid } from '../../collect/windows/services.js';
import type { OwnerStatus, ProcessInfo } from '../../model/record.js';
import type { SourceContext, WatchSource } from '../source.js';
import { UNKNOWN_UID, type ConnEvent } from '../tracker.js';

const SERVICES_EVERY_MS = 60_000;
/** Events waiting for the next drain beyond this are dropped and said (a Gap row and a resync). */
const MAX_PENDING = 200_000;

/** edge-js, its bootstrap and PortReport.Bridge.dll in a bridge folder (docs/windows.md), or why not. */
export function bridgePaths(dir: string): BridgePaths | string {
  const edgeDir = existsSync(join(dir, 'edge-js')) ? 'edge-js' : (existsSync(dir) ? readdirSync(dir).find((n) => n.startsWith('edge-js-')) : undefined);
  const p = { edge: join(dir, edgeDir ?? 'edge-js'), bootstrap: join(dir, 'edge-bootstrap'), assembly: join(dir, 'bridge', 'PortReport.Bridge.dll') };
  for (const f of [join(p.edge, 'lib', 'edge.js'), join(p.bootstrap, 'bootstrap.dll'), p.assembly]) if (!existsSync(f)) return `${f} is missing`;
  return p;
}

export function windowsSource(ctx: SourceContext): WatchSource {
  const { tracker, diag } = ctx;
  let services = new Map<number, string[]>();
  let servicesAt = 0;
  let reader: WindowsProcessReader | null = null;
  const procs = new Map<number, WindowsProcess>();
  let stream: NetworkEventStream | null = null;
  const pending: { event: NetworkEvent; time: Date }[] = [];
  let lost = false;
  let stopping = false;
  const coverage = (why: string) => diag({ Level: 'warning', Code: 'PR_COVERAGE', Message: `${why}: connections that open and close between two polls may be missed` });

  const startEvents = () => {
    if (ctx.events === 'none') return coverage('no event source (--event-source none)');
    if (!ctx.bridge) return coverage('no event source (the .NET bridge is not installed: --bridge)');
    const paths = bridgePaths(ctx.bridge);
    if (typeof paths === 'string') return coverage(`no event source (the .NET bridge is incomplete: ${paths})`);
    const name = (ctx.events === 'auto' ? 'etw' : ctx.events) as EventSourceName;
    try {
      stream = startNetworkEvents(paths, name, (event) => {
        if (pending.length < MAX_PENDING) pending.push({ event, time: new Date() }); else lost = true;
      }, (d) => { diag(d); lost = true; });
      stream.done.then((n) => { if (!stopping && name === 'etw') coverage(`the ETW session ended after ${n} events`); stream = null; },
        (e: Error) => { stream = null; coverage(`the ${name} event source failed (${String(e?.message ?? e).split('\n')[0]})`); });
    } catch (e) { coverage(`the ${name} event source could not start (${(e as Error).message})`); }
  };

  const refresh = (now: number) => {
    if (now - servicesAt >= SERVICES_EVERY_MS) {
      servicesAt = now;
      try { services = servicesByPid(); } catch (e) { diag({ Level: 'warning', Code: 'PR_WIN_SERVICES', Message: `${(e as Error).message}; services are not named` }); }
      reader = null;
    }
    // A fresh toolhelp snapshot (parents, names) for each poll that meets a new process.
    return (reader ??= new WindowsProcessReader(services));
  };

  const owner = (pid: number, state: string): { owner: ProcessInfo | null; status: OwnerStatus } => {
    if (pid === 0) return { owner: null, status: state === 'TimeWait' ? 'NoInode' : 'NotFound' };
    // Read for each new socket (Windows reuses pids soon): the same process (pid and start time) is
    // announced once, with its modules and hash.
    const r = refresh(Date.now());
    const fresh = r.read(pid);
    let p = procs.get(pid);
    if (!p || p.ProcessStartTime !== fresh.ProcessStartTime) {
      p = fresh;
      if (p.ExecutablePath && ctx.includeHash) p.ExecutableSha256 = r.hash(p.ExecutablePath);
      p.Modules = r.modules(pid);
      procs.set(pid, p);
      if (!p.Denied.some((d) => d.startsWith('OpenProcess'))) ctx.onNewProcess(p);
    }
    const open = p.Denied.find((d) => d.startsWith('OpenProcess'));
    return open ? { owner: null, status: open.includes('(error 5)') ? 'AccessDenied' : 'NotFound' } : { owner: p, status: 'Known' };
  };

  const poll = (seed: boolean): ConnEvent[] => {
    const now = new Date();
    reader = null; // a new toolhelp snapshot when this poll meets a new process
    const sockets: PidSocket[] = [];
    for (const t of readTables((m) => diag({ Level: 'error', Code: 'PR_POLL', Message: m }))) {
      for (const r of t.rows) {
        // The pid is part of a Windows row: the same address pair under another pid is another socket.
        sockets.push({ protocol: t.protocol, family: r.family, localAddress: r.localAddress, localPort: r.localPort, remoteAddress: r.remoteAddress, remotePort: r.remotePort,
          state: r.state, inode: 0, uid: UNKNOWN_UID, cookie: windowsCookie(t.protocol, r.localAddress, r.localPort, r.remoteAddress, r.remotePort, r.pid),
          bytesAcked: null, bytesReceived: null, source: 'procfs', pid: r.pid });
      }
    }
    const events = tracker.poll(sockets, now, (s) => owner((s as PidSocket).pid, s.state));
    return seed ? [] : events;
  };

  return {
    async initial() {
      const snap = await collectWindows({ filter: {}, includeModules: true, includeHash: ctx.includeHash, source: 'auto' });
      // The snapshot's processes are the first rows of the processes log, and the owner cache.
      for (const r of snap.records) {
        if (r.ProcessId === null || procs.has(r.ProcessId)) continue;
        const p: WindowsProcess = {
          ProcessId: r.ProcessId, ProcessName: r.ProcessName ?? '', ExecutablePath: r.ExecutablePath, CommandLine: r.CommandLine,
          ParentProcessId: r.ParentProcessId, ProcessStartTime: r.ProcessStartTime, UserName: r.UserName, UserId: r.UserId,
          ServiceName: r.ServiceName, IsService: r.IsService, Modules: r.Modules, ExecutableSha256: r.ExecutableSha256,
          HostedServices: r.Windows?.HostedServices ?? [], SessionId: r.Windows?.SessionId ?? null, Denied: r.Windows?.Denied ?? [],
        };
        procs.set(p.ProcessId, p);
        if (r.OwnerStatus === 'Known') ctx.onNewProcess(p);
      }
      startEvents();
      return snap;
    },
    poll,
    drain() {
      const arrived = pending.splice(0);
      const resync = lost;
      lost = false;
      return { events: applyNetworkEvents(tracker, arrived, (s) => owner((s as PidSocket).pid, s.state)), resync };
    },
    changedModules(pids) {
      const out: ProcessInfo[] = [];
      const r = refresh(Date.now());
      for (const pid of new Set(pids)) {
        const p = procs.get(pid);
        if (!p?.Modules) continue;
        const now = r.modules(pid);
        if (now && now.join('\n') !== p.Modules.join('\n')) { p.Modules = now; out.push(p); }
      }
      return out;
    },
    forget: () => {},
    user: () => null,
    close: () => {
      stopping = true;
      const s = stream;
      return s ? s.stop().then(() => s.done).then(() => {}, () => {}) : undefined;
    },
  };
}
