/**
 * `portreport watch`: the Port Reporter service. An initial log of the full snapshot at start, then
 * a connections log of every change (polls plus socket-destroy notifications, so connections that
 * live between two polls are logged too) and a processes log of every process seen.
 */
import { hostname } from 'node:os';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ProcessInfo } from '../model/record.js';
import type { LogFolder } from './folder.js';
import type { SourceContext, WatchSource } from './source.js';
import { LogStream, type RotationPolicy } from './logstream.js';
import { CONNECTIONS_LOG, INITIAL_LOG, PROCESSES_LOG, type Cell, connectionNote, connectionRow, csvRows, initialRow, processRow } from './logformat.js';
import { ConnectionTracker, type ConnEvent } from './tracker.js';
import { longTimeout } from '../util/timer.js';

export interface WatchOptions {
  logPath: string;
  intervalMs: number;
  policy: RotationPolicy;
  includeHash: boolean;
  moduleIntervalMs: number;
  /** Stop after this long (scheduled runs, tests); 0 = until signalled. */
  durationMs: number;
  /** Report each flush as a verbose diagnostic (rows written so far). */
  verbose: boolean;
  /** Stop when stdin closes (the host that started us went away). */
  lifeline?: boolean;
  /** Windows: auto, none, etw, or a test stand-in (stand-in, loopback:PORT). */
  eventSource?: string;
  /** Windows: the folder of the .NET bridge (edge-js, its bootstrap, PortReport.Bridge). */
  bridge?: string;
}

/**
 * Destroy events queue in a 64 MiB kernel buffer (about 180,000 closes), so they are read at each
 * poll; with polls slower than a second they are also read every second.
 */
const DRAIN_MS = 1000;

/** The log folder and the event source of this platform, chosen once. */
async function openFolder(path: string, warn: (m: string) => void): Promise<LogFolder> {
  if (process.platform === 'win32') return (await import('./windows/logdir.js')).WindowsLogDir.open(path, warn);
  return (await import('./logdir.js')).LogDir.open(path, warn);
}
async function openSource(ctx: SourceContext): Promise<WatchSource> {
  if (process.platform === 'win32') return (await import('./windows/source.js')).windowsSource(ctx);
  return (await import('./linux/source.js')).linuxSource(ctx);
}

/** The row a diagnostic becomes in the connections log: lost events are a Gap (then a resync). */
export function noteEvent(d: Diagnostic): 'Gap' | 'Error' | 'Warning' {
  return d.Code === 'PR_EVENTS_DROPPED' ? 'Gap' : d.Level === 'error' ? 'Error' : 'Warning';
}

/** Why the logger stops when its host goes away: logged as a row, but said to no one (no one is there). */
const HOST_GONE = 'its host went away (stdin closed)';

export async function runWatch(opts: WatchOptions, report: (d: Diagnostic) => void): Promise<void> {
  // Signals are taken from the first moment: a stop during start-up still ends cleanly.
  let stopReason: string | null = null;
  let onStop: (why: string) => void = (why) => { stopReason = why; };
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(sig, () => onStop(sig));
  if (opts.lifeline) {
    const gone = () => onStop(HOST_GONE);
    process.stdin.on('end', gone).on('close', gone).on('error', gone).resume();
    // Watching stdin must not keep the process alive by itself (an error at start-up still exits).
    (process.stdin as unknown as { unref?: () => void }).unref?.();
  }
  const host = hostname();
  const dir = await openFolder(opts.logPath, (m) => report({ Level: 'warning', Code: 'PR_LOG_DIR_MODE', Message: m }));
  try { dir.lock(); } catch (e) { dir.close(); throw e; }
  const initial = new LogStream(dir, INITIAL_LOG, opts.policy, report);
  const conns = new LogStream(dir, CONNECTIONS_LOG, opts.policy, report);
  const procs = new LogStream(dir, PROCESSES_LOG, opts.policy, report);
  const streams = [initial, conns, procs];
  for (const s of streams) s.recoverLeftovers();

  const procRows: ProcessInfo[] = [];
  const tracker = new ConnectionTracker(Math.max(10_000, opts.intervalMs * 3));
  let connRows: Cell[][] = [];
  const note = (event: string, message: string) => connRows.push(connectionNote(new Date(), event, host, message));
  // Every gap, drop or failure is itself a logged row, never only a message on stderr.
  const diag = (d: Diagnostic) => {
    report(d);
    if (d.Level !== 'verbose') note(noteEvent(d), `${d.Code}: ${d.Message}`);
  };

  const flush = () => {
    const now = new Date();
    if (connRows.length) { conns.append(csvRows(connRows, CONNECTIONS_LOG.text), connRows.length); connRows = []; }
    if (procRows.length) {
      const rows = procRows.splice(0).map((p) => processRow(now, 'Seen', p, host));
      procs.append(csvRows(rows, PROCESSES_LOG.text), rows.length);
    }
    for (const s of streams) s.flush(now);
    if (opts.verbose) report({ Level: 'verbose', Code: 'PR_FLUSHED', Message: streams.map((s) => `${s.kind.name}=${s.rowsWritten}`).join(' ') });
  };
  const record = (events: ConnEvent[]) => {
    for (const e of events) {
      connRows.push(connectionRow(e, host, (uid) => source.user(uid)));
      if (e.event === 'Close') source.forget(e);
    }
  };
  const source: WatchSource = await openSource({ tracker, includeHash: opts.includeHash, events: opts.eventSource ?? 'auto', bridge: opts.bridge ?? null, diag, onNewProcess: (p) => procRows.push(p) });

  note('Start', `portreport watch started (pid ${process.pid}, interval ${opts.intervalMs} ms)`);
  report({ Level: 'information', Code: 'PR_WATCH_STARTED', Message: `logging every connection and process to ${opts.logPath} (pid ${process.pid}, every ${opts.intervalMs / 1000} s)${opts.durationMs ? ` for ${opts.durationMs / 1000} s` : '; Ctrl+C stops it'}`, Target: opts.logPath });

  // The initial log: the full snapshot, with modules and hashes.
  const snap = await source.initial();
  for (const d of snap.diagnostics) diag(d);
  initial.writeWhole(inChunks(snap.records, (rs) => csvRows(rs.map(initialRow), INITIAL_LOG.text)));

  const poll = (seed: boolean) => record(source.poll(seed));
  const drain = () => {
    const { events, resync } = source.drain();
    if (resync) poll(false);
    record(events);
  };

  poll(true); // seed: the initial log holds these sockets already
  flush();

  let lastModules = Date.now();
  await new Promise<void>((resolve) => {
    const pollTimer = setInterval(() => {
      drain();
      poll(false);
      if (Date.now() - lastModules >= opts.moduleIntervalMs) {
        lastModules = Date.now();
        const pids = [...tracker.liveSockets()].flatMap((l) => (l.owner ? [l.owner.ProcessId] : []));
        const changed = source.changedModules(pids);
        if (changed.length) procs.append(csvRows(changed.map((p) => processRow(new Date(), 'ModulesChanged', p, host)), PROCESSES_LOG.text), changed.length);
      }
      flush();
    }, opts.intervalMs);
    const drainTimer = opts.intervalMs > DRAIN_MS ? setInterval(() => { drain(); if (connRows.length > 5000) flush(); }, DRAIN_MS) : undefined;
    let stopped = false;
    const stop = (why: string) => {
      if (stopped) return;
      stopped = true;
      clearInterval(pollTimer);
      clearInterval(drainTimer);
      drain();
      note('Stop', `portreport watch stopped (${why})`);
      if (why !== HOST_GONE) report({ Level: 'information', Code: 'PR_WATCH_STOPPED', Message: `stopped logging to ${opts.logPath} (${why})`, Target: opts.logPath });
      resolve();
    };
    onStop = stop;
    if (stopReason) stop(stopReason);
    else if (opts.durationMs > 0) longTimeout(() => stop('duration reached'), opts.durationMs, true);
  });
  flush();
  await source.close();
  for (const s of streams) await s.close();
  dir.close();
}

/** Records as CSV in chunks of 1,000, each made only when the one before is written (bounded memory). */
function* inChunks<T>(records: T[], csv: (rs: T[]) => Buffer): Generator<[Buffer, number]> {
  for (let i = 0; i < records.length; i += 1000) {
    const part = records.slice(i, i + 1000);
    yield [csv(part), part.length];
  }
}
