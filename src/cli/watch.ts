/** `portreport watch`: run the logging service in the foreground. */
import { parseArgs } from 'node:util';
import { DEFAULT_POLICY } from '../watch/logstream.js';
import { runWatch } from '../watch/watcher.js';
import { checkContract, oneOf } from './args.js';
import { report, setDiagnosticsFormat, setVerbose, UsageError } from './io.js';

export const WATCH_HELP = `Usage: portreport watch --log-path DIR [options]

The Port Reporter service, in the foreground (for a service manager or a scheduled task). Writes
three logs into DIR (created 0700; never followed through a symlink), CSV that Import-Csv and Excel
open (docs/logs.md):
  portreport-initial-v1-*.csv      the full snapshot at start (sockets, processes, modules, hashes)
  portreport-connections-v1-*.csv  one row per socket opened, changed state or closed
  portreport-processes-v1-*.csv    one row per process the first time it is seen, and when its
                                   loaded modules change
Connections that open and close between two polls are caught by socket-destroy notifications
(root). Stops cleanly on SIGTERM, SIGINT or SIGHUP.

Options:
  --interval SECONDS        poll interval (default 1)
  --max-file-size SIZE      rotate a log at this size (default 64MB; units B, KB, MB, GB)
  --max-file-age DURATION   rotate a log at this age (default 24h; units s, m, h, d)
  --retain-count N          keep at most N closed files of each log (default 100)
  --retain-size SIZE        keep at most SIZE of closed files of each log (default 4GB)
  --no-gzip                 leave closed files uncompressed
  --no-hash                 do not hash executables
  --module-interval SECONDS how often loaded modules are checked for changes (default 60)
  --duration DURATION       stop after this long (default: run until signalled)
  --event-source MODE       what reports connections between polls. Linux: auto (default:
                            socket-destroy events, and connect-time events naming the process of
                            every socket when eBPF is allowed), bpf (the same, failing when eBPF
                            is not), destroy or none (destroy events only; docs/attribution.md).
                            Windows: auto (the ETW session when the .NET bridge is installed),
                            etw, none; under Wine, for tests: stand-in, loopback:PORT
  --bridge DIR              Windows: the .NET bridge folder (edge-js, edge-bootstrap, bridge/)
  --lifeline                stop (cleanly) when stdin closes: the module holds it, so the logger
                            ends when the PowerShell that started it goes away
  --check                   validate the options and exit (0 when the command would start)
  --verbose                 report each flush on stderr
  --diagnostics text|json   stderr format`;

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };
const TIMES: Record<string, number> = { '': 1000, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseSize(opt: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(v.trim());
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined || Number(m[1]) * unit < 1) throw new UsageError(`--${opt}: "${v}" is not a size (e.g. 64MB, 512KB, 1GB)`);
  return Math.floor(Number(m[1]) * unit);
}

export function parseDuration(opt: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(v.trim());
  const unit = m ? TIMES[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined || !Number.isFinite(Number(m[1]) * unit)) throw new UsageError(`--${opt}: "${v}" is not a duration (e.g. 1, 0.5s, 30m, 24h, 7d)`);
  return Number(m[1]) * unit;
}

/** A period that drives a repeating timer: at most a day (a longer poll is no service; timers overflow past 24.8 days). */
export function parsePeriod(opt: string, v: string | undefined, dflt: number, minMs: number): number {
  const ms = parseDuration(opt, v, dflt);
  if (ms < minMs) throw new UsageError(`--${opt}: "${v}" is below the ${minMs / 1000} s minimum`);
  if (ms > 86_400_000) throw new UsageError(`--${opt}: "${v}" is above the 24 h maximum`);
  return ms;
}

export async function runWatchCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'log-path': { type: 'string' },
      interval: { type: 'string' },
      'max-file-size': { type: 'string' },
      'max-file-age': { type: 'string' },
      'retain-count': { type: 'string' },
      'retain-size': { type: 'string' },
      'no-gzip': { type: 'boolean', default: false },
      'no-hash': { type: 'boolean', default: false },
      'module-interval': { type: 'string' },
      duration: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      lifeline: { type: 'boolean', default: false },
      'event-source': { type: 'string' },
      bridge: { type: 'string' },
      check: { type: 'boolean', default: false },
      diagnostics: { type: 'string' },
      contract: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) { process.stdout.write(WATCH_HELP + '\n'); return 0; }
  setDiagnosticsFormat(oneOf('diagnostics', values.diagnostics, ['text', 'json'] as const, 'text'));
  checkContract(values.contract);
  setVerbose(values.verbose!);
  if (!values['log-path']) throw new UsageError('--log-path: required (the directory to write the logs into)');
  if (process.platform !== 'linux' && process.platform !== 'win32') throw new UsageError(`watch: not supported on ${process.platform} (Linux and Windows are)`);
  const interval = parsePeriod('interval', values.interval, 1000, 100);
  const retainCount = values['retain-count'] === undefined ? DEFAULT_POLICY.retainCount : Number(values['retain-count']);
  if (!Number.isInteger(retainCount) || retainCount < 0) throw new UsageError(`--retain-count: "${values['retain-count']}" is not a whole number`);
  const eventSource = values['event-source'] ?? 'auto';
  if (process.platform === 'linux' ? !/^(auto|bpf|destroy|none)$/.test(eventSource) : !/^(auto|etw|none|stand-in|loopback:\d{1,5})$/.test(eventSource)) {
    throw new UsageError(`--event-source: "${eventSource}" is not ${process.platform === 'linux' ? 'auto, bpf, destroy or none' : 'auto, etw, none, stand-in or loopback:PORT'}`);
  }
  const opts = {
    eventSource,
    bridge: values.bridge,
    logPath: values['log-path'],
    intervalMs: interval,
    policy: {
      ...DEFAULT_POLICY,
      maxBytes: parseSize('max-file-size', values['max-file-size'], DEFAULT_POLICY.maxBytes),
      maxAgeMs: parseDuration('max-file-age', values['max-file-age'], DEFAULT_POLICY.maxAgeMs),
      retainCount,
      retainBytes: parseSize('retain-size', values['retain-size'], DEFAULT_POLICY.retainBytes),
      gzip: !values['no-gzip'],
    },
    includeHash: !values['no-hash'],
    moduleIntervalMs: parsePeriod('module-interval', values['module-interval'], 60_000, 100),
    durationMs: parseDuration('duration', values.duration, 0),
    verbose: values.verbose!,
    lifeline: values.lifeline!,
  };
  if (values.check) return 0;
  await runWatch(opts, report);
  return 0;
}
