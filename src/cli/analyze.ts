/** `portreport summary | detect | baseline`: the Parser's reports, detections and baselines. */
import { parseArgs } from 'node:util';
import { analyze, openEngine, type AnalyzeInput, type EngineChoice } from '../analyze/run.js';
import { buildSummary, queriesFor, REPORTS, type ReportKind } from '../analyze/summary.js';
import { atOrAbove, DEFAULT_DETECT, detect, RULES, SEVERITIES, type RuleSet, type Severity } from '../analyze/rules.js';
import { BASELINE_FORMAT, BASELINE_VERSION, baselineItems, readBaseline, writeBaseline } from '../analyze/baseline.js';
import { readWatchList, watchEntry, WATCH_KINDS, type WatchEntry } from '../analyze/watchlist.js';
import { BEACON_MIN_ROWS } from '../analyze/queries.js';
import { DEFAULT_PREVALENCE, groupedItems, parseHostGroup, type HostGroup } from '../analyze/fleet.js';
import { checkContract, isoTime, list, oneOf } from './args.js';
import { errorsReported, report, setDiagnosticsFormat, stdoutSink, UsageError } from './io.js';
import { writeObjects } from './objects.js';
import { ClickHouse, targetFrom } from '../fleet/clickhouse/client.js';

export const INPUT_HELP = `Input (one or more):
  PATH...                 log files or folders: PortReport logs (plain or .gz), Port Reporter 1.x logs
  --live                  a snapshot of this host now
  --input FILE|-          records as NDJSON (from snapshot, import, or PowerShell objects)
  --after TIME --before TIME   only rows in this range (ISO-8601)
  --engine auto|stream|duckdb  auto: DuckDB for log sets of 64 MB or more, else streaming
  --clickhouse URL        the fleet's shipped logs on a ClickHouse cluster instead (docs/fleet.md);
                          --hosts NAME,... (wildcards) picks hosts, --database NAME (portreport),
                          --user NAME; the password from PORTREPORT_CLICKHOUSE_PASSWORD
  --strict                stop at the first bad row
  --format ndjson|table   --diagnostics text|json   --contract N`;

export const SUMMARY_HELP = `Usage: portreport summary [PATH...] [--live] [options]

The Parser's reports: share of time each local (service) port is in use, each process's network
activity, how often each remote host is contacted, the users running networked processes, port
use by hour of day, the services hosted by each process, and a module inventory.

  --report port,process,remote,user,hour,service,module   (default: all)
  --baseline FILE    also report what departs from this baseline (findings, as detect --rules baseline)

${INPUT_HELP}`;

export const DETECT_HELP = `Usage: portreport detect [PATH...] [--live] [options]

Findings (rule, severity, host, process, path, user, evidence, first/last seen, count):
  masquerade   a system binary's name running from elsewhere (catalogue: docs/analyze.md)
  watchlist    --watch-list FILE ("kind: value" lines) and/or --watch KIND=VALUE
               kinds: ${WATCH_KINDS.join(', ')}
  suspicious   executables or modules in temporary, download or world-writable directories
  baseline     --baseline FILE: new listening ports, service pairs, remote hosts, users
  beaconing    regular connections to one endpoint (--beacon-min N, --beacon-jitter F)
  rare         processes and remote hosts seen only a handful of times (--rare-max N)
  prevalence   across a fleet (logs or --clickhouse of 5 hosts or more, --prevalence-min-fleet N):
               an executable, a binary's hash, a module, a listener or a remote host that at most
               --prevalence-max N (1) hosts have; with a fleet baseline, remote hosts no host had
  --host-group NAME=PATTERN,...   judge hosts against a baseline learned for their group
  --rules LIST       which rules (default: all)
  --fail-on Low|Medium|High|Critical   exit code 3 when a finding is at or above it

${INPUT_HELP}`;

export const BASELINE_HELP = `Usage: portreport baseline PATH... --out FILE [--force] [--after T] [--before T]

Learns routine behaviour (listening ports, service pairs, remote hosts per process, users on the
network) from a time range of logs into a baseline file (JSON, owner-only). Compare later logs
with: portreport detect PATH... --baseline FILE --rules baseline
  --host-group NAME=PATTERN,...   learn one baseline per group of hosts (web=web*): detect with
                  the same --host-group judges each web server against every web server's routine

${INPUT_HELP}`;

export const COMMON = {
  live: { type: 'boolean', default: false }, input: { type: 'string' }, after: { type: 'string' }, before: { type: 'string' },
  engine: { type: 'string' }, strict: { type: 'boolean', default: false }, format: { type: 'string' }, diagnostics: { type: 'string' },
  contract: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
  clickhouse: { type: 'string' }, hosts: { type: 'string', multiple: true }, database: { type: 'string' }, user: { type: 'string' },
} as const;

function members<T extends string>(opt: string, v: string[] | undefined, allowed: readonly T[]): T[] {
  const items = list(v).map((x) => x.toLowerCase());
  for (const i of items) if (!allowed.map((a) => a.toLowerCase()).includes(i)) throw new UsageError(`--${opt}: "${i}" is not one of ${allowed.join(', ')}`);
  return allowed.filter((a) => items.includes(a.toLowerCase()));
}

function clickhouseInput(values: Record<string, unknown>): AnalyzeInput['clickhouse'] {
  const url = values.clickhouse as string | undefined;
  if (url === undefined) {
    if (values.hosts) throw new UsageError('--hosts picks hosts of --clickhouse');
    return null;
  }
  try {
    return { ch: new ClickHouse(targetFrom(url, (values.database as string | undefined) ?? 'portreport', (values.user as string | undefined) ?? null)), hosts: list(values.hosts as string[] | undefined) };
  } catch (e) { throw new UsageError((e as Error).message); }
}

export function common(values: Record<string, unknown>, positionals: string[]) {
  setDiagnosticsFormat(oneOf('diagnostics', values.diagnostics as string | undefined, ['text', 'json'] as const, 'text'));
  checkContract(values.contract as string | undefined);
  const input: AnalyzeInput = { paths: positionals, live: values.live as boolean, ndjson: (values.input as string | undefined) ?? null, strict: values.strict as boolean,
    clickhouse: clickhouseInput(values) };
  if (!input.paths.length && !input.live && input.ndjson === null && !input.clickhouse) throw new UsageError('no input: give log files or folders, --live, --input FILE or --clickhouse URL');
  return {
    input,
    engine: oneOf('engine', values.engine as string | undefined, ['auto', 'stream', 'duckdb'] as const, 'auto') as EngineChoice,
    format: oneOf('format', values.format as string | undefined, ['ndjson', 'table'] as const, process.stdout.isTTY ? 'table' : 'ndjson'),
    after: isoTime('after', values.after as string | undefined),
    before: isoTime('before', values.before as string | undefined),
  };
}

async function results(c: ReturnType<typeof common>, only?: readonly string[]) {
  const engine = await openEngine(c.input, c.engine, report);
  try {
    report({ Level: 'verbose', Code: 'PR_ENGINE', Message: `analysis engine: ${engine.name}` });
    return await analyze(engine, c.after, c.before, only);
  } finally { await engine.close(); }
}

export async function runSummaryCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { ...COMMON, report: { type: 'string', multiple: true }, baseline: { type: 'string' } } });
  if (values.help) { process.stdout.write(SUMMARY_HELP + '\n'); return 0; }
  const c = common(values, positionals);
  const kinds: ReportKind[] = values.report ? members('report', values.report, REPORTS) : [...REPORTS];
  const baseline = values.baseline ? readBaseline(values.baseline) : null;
  // One load of the input serves the reports and the comparison; without a baseline, only the
  // queries of the reports asked for run.
  const res = await results(c, baseline ? undefined : queriesFor(kinds));
  writeObjects(buildSummary(res, kinds), c.format, stdoutSink);
  if (baseline) {
    const departures = detect(res, { rules: ['baseline'], watch: [], baseline, ...DEFAULT_DETECT });
    if (departures.length || c.format === 'ndjson') writeObjects(departures, c.format, stdoutSink);
    else stdoutSink('No departures from the baseline.\n');
  }
  return errorsReported() ? 1 : 0;
}

export async function runDetectCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, strict: true, allowPositionals: true,
    options: { ...COMMON, rules: { type: 'string', multiple: true }, 'watch-list': { type: 'string', multiple: true }, watch: { type: 'string', multiple: true },
      baseline: { type: 'string' }, 'fail-on': { type: 'string' }, 'beacon-min': { type: 'string' }, 'beacon-jitter': { type: 'string' },
      'beacon-min-interval': { type: 'string' }, 'rare-max': { type: 'string' }, 'prevalence-max': { type: 'string' }, 'prevalence-min-fleet': { type: 'string' },
      'host-group': { type: 'string', multiple: true } },
  });
  if (values.help) { process.stdout.write(DETECT_HELP + '\n'); return 0; }
  const c = common(values, positionals);
  const rules: RuleSet[] = values.rules ? members('rules', values.rules, RULES) : [...RULES];
  const failOn = values['fail-on'] === undefined ? null : members('fail-on', [values['fail-on']], SEVERITIES)[0] as Severity;
  const watch: WatchEntry[] = [];
  for (const f of values['watch-list'] ?? []) {
    const { entries, errors } = readWatchList(f);
    for (const e of errors) { if (c.input.strict) throw e; report({ Level: 'warning', Code: e.code, Message: `${e.message}; entry skipped`, Target: f }); }
    watch.push(...entries);
  }
  for (const w of values.watch ?? []) {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new UsageError(`--watch: "${w}" should be KIND=VALUE (kinds: ${WATCH_KINDS.join(', ')})`);
    try { watch.push(watchEntry(w.slice(0, eq), w.slice(eq + 1), 'parameter')); } catch (e) { throw new UsageError(`--watch: ${(e as Error).message.replace(/^parameter: /, '')}`); }
  }
  const baseline = values.baseline ? readBaseline(values.baseline) : null;
  if (rules.includes('baseline') && values.rules && !baseline) throw new UsageError('--rules baseline needs --baseline FILE');
  const num = (opt: string, v: string | undefined, d: number) => {
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${opt}: "${v}" is not a non-negative number`);
    return n;
  };
  c.input.liveHashes = watch.some((w) => w.kind === 'hash');
  const beaconMin = num('beacon-min', values['beacon-min'], DEFAULT_DETECT.beaconMinConnections);
  if (beaconMin < BEACON_MIN_ROWS) throw new UsageError(`--beacon-min: at least ${BEACON_MIN_ROWS} connections make a series`);
  const findings = detect(await results(c), {
    rules, watch, baseline, ...DEFAULT_DETECT,
    beaconMinConnections: beaconMin,
    beaconMaxJitter: num('beacon-jitter', values['beacon-jitter'], DEFAULT_DETECT.beaconMaxJitter),
    beaconMinIntervalSeconds: num('beacon-min-interval', values['beacon-min-interval'], DEFAULT_DETECT.beaconMinIntervalSeconds),
    rareMaxConnections: num('rare-max', values['rare-max'], DEFAULT_DETECT.rareMaxConnections),
    prevalence: { maxHosts: num('prevalence-max', values['prevalence-max'], DEFAULT_PREVALENCE.maxHosts), minFleet: num('prevalence-min-fleet', values['prevalence-min-fleet'], DEFAULT_PREVALENCE.minFleet) },
    groups: hostGroups(values['host-group']),
  });
  writeObjects(findings, c.format, stdoutSink);
  if (failOn && atOrAbove(findings, failOn)) {
    report({ Level: 'warning', Code: 'PR_FINDINGS_AT_OR_ABOVE', Message: `${findings.filter((f) => SEVERITIES.indexOf(f.Severity) >= SEVERITIES.indexOf(failOn)).length} findings at or above ${failOn}` });
    return 3;
  }
  // An input that could not be read: never a clean bill of health.
  return errorsReported() ? 1 : 0;
}

function hostGroups(v: string[] | undefined): HostGroup[] {
  try { return (v ?? []).flatMap(parseHostGroup); } catch (e) { throw new UsageError(`--host-group: ${(e as Error).message}`); }
}

export async function runBaselineCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true,
    options: { ...COMMON, out: { type: 'string' }, force: { type: 'boolean', default: false }, 'host-group': { type: 'string', multiple: true } } });
  if (values.help) { process.stdout.write(BASELINE_HELP + '\n'); return 0; }
  const c = common(values, positionals);
  if (!values.out) throw new UsageError('--out FILE is required (where to write the baseline)');
  const items = groupedItems(baselineItems(await results(c)), hostGroups(values['host-group']));
  if (errorsReported()) throw Object.assign(new Error('a baseline is learned only from inputs that could all be read; nothing was written'), { code: 'PR_BASELINE_INPUT' });
  if (items.length === 0) throw Object.assign(new Error('the inputs hold no rows to learn from (check the paths and --after/--before); nothing was written'), { code: 'PR_BASELINE_EMPTY' });
  const b = { Format: BASELINE_FORMAT, Version: BASELINE_VERSION, Created: new Date().toISOString(), After: values.after ?? null, Before: values.before ?? null,
    Sources: c.input.live ? ['live'] : [...c.input.paths, ...(c.input.ndjson ? [c.input.ndjson] : [])], Items: items } as const;
  writeBaseline(values.out, { ...b, Sources: [...b.Sources], Items: items }, values.force!);
  const counts = Object.entries(items.reduce<Record<string, number>>((m, i) => ({ ...m, [i.Kind]: (m[i.Kind] ?? 0) + 1 }), {}));
  const info: { RecordType: string } & Record<string, unknown> = { RecordType: 'BaselineInfo', Path: values.out, Created: b.Created, After: b.After, Before: b.Before, Items: items.length,
    ...Object.fromEntries(counts.map(([k, n]) => [`${k}s`, n])) };
  writeObjects([info], c.format, stdoutSink);
  return 0;
}
