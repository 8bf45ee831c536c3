/** `portreport report --html OUT`: the Parser's picture, one self-contained HTML file (docs/report.md). */
import { existsNoFollow, writeFileAtomic } from '../util/files.js';
import { parseArgs } from 'node:util';
import { analyze, openEngine } from '../analyze/run.js';
import { DEFAULT_DETECT, detect, RULES, type Finding } from '../analyze/rules.js';
import { readBaseline } from '../analyze/baseline.js';
import { analysisQueries, inRange, listenerKey, seriesTimesQuery } from '../analyze/queries.js';
import { DEFAULT_PREVALENCE } from '../analyze/fleet.js';
import { buildSummary, queriesFor, REPORTS } from '../analyze/summary.js';
import { renderReport } from '../report/html.js';
import { isoToMs } from '../util/time.js';
import { sizeText } from '../util/progress.js';
import { VERSION } from '../version.js';
import { common, COMMON, INPUT_HELP } from './analyze.js';
import { errorsReported, report, UsageError } from './io.js';

export const REPORT_HELP = `Usage: portreport report [PATH...] [--live] --html OUT [options]

One HTML file an analyst opens offline, reads and hands on: the findings first, then port use by
hour of day (a heat map), each process's share of network time, the top remote hosts, the users
on the network, the services inside each process instance, the module inventory, departures from
a baseline when one is given, and a timeline of each beaconing series. Charts are inline SVG; the
page runs no script and loads nothing (its Content-Security-Policy allows neither).

  --html OUT        the file to write (created owner-only; --force replaces it)
  --baseline FILE   add the departures from this baseline
  --title TEXT      the report's title (default: PortReport: <hosts>)

${INPUT_HELP}`;

/** "N connections to ADDR:PORT every ..." as the pair key of the series. */
function seriesOf(f: Finding): { address: string; port: number } | null {
  const m = /connections to (.+):(\d+) every /.exec(f.Evidence);
  return m ? { address: m[1], port: Number(m[2]) } : null;
}

export async function runReportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true,
    options: { ...COMMON, html: { type: 'string' }, baseline: { type: 'string' }, title: { type: 'string' }, force: { type: 'boolean', default: false } } });
  if (values.help) { process.stdout.write(REPORT_HELP + '\n'); return 0; }
  const c = common(values, positionals);
  if (!values.html) throw new UsageError('--html OUT is required (the file to write)');
  const out = values.html;
  if (!values.force && existsNoFollow(out)) throw new UsageError(`--html: ${out} already exists (use --force to replace it)`);
  const baseline = values.baseline ? readBaseline(values.baseline) : null;
  const engine = await openEngine(c.input, c.engine, report);
  let html: string;
  try {
    // The summary's queries and the beacons; the service pairs only where a rule reads them (a
    // baseline, or a fleet large enough for prevalence), since they cost a pass of their own.
    const res = await analyze(engine, c.after, c.before, [...queriesFor(REPORTS), 'beacons', ...(baseline ? ['pairs'] : [])]);
    const hostCount = new Set((res.get('hosts') ?? []).map((h) => h.HostName)).size;
    if (!res.has('pairs') && hostCount >= DEFAULT_PREVALENCE.minFleet) {
      const listeners = (res.get('listeners') ?? []).map(listenerKey);
      const pairs = inRange(analysisQueries(listeners).filter((q) => q.name === 'pairs'), c.after, c.before);
      res.set('pairs', (await engine.run(pairs)).get('pairs') ?? []);
    }
    const findings = detect(res, { rules: RULES.filter((r) => r !== 'baseline'), watch: [], baseline: null, ...DEFAULT_DETECT });
    const departures = baseline ? detect(res, { rules: ['baseline'], watch: [], baseline, ...DEFAULT_DETECT }) : null;
    const beaconing = findings.filter((f) => f.Rule === 'Beaconing');
    const wanted = beaconing.map(seriesOf).filter((p) => p !== null);
    const series = wanted.length ? (await engine.run([seriesTimesQuery((res.get('listeners') ?? []).map(listenerKey), wanted)])).get('seriesTimes') ?? [] : [];
    const beacons = beaconing.map((f) => {
      const p = seriesOf(f);
      const row = series.find((r) => p && r.RemoteAddress === p.address && r.RemotePort === p.port && r.HostName === f.HostName && (r.Container ?? null) === f.Container
        && r.ProcessName === f.ProcessName && r.ExecutablePath === f.ExecutablePath && r.UserName === f.UserName);
      const times = ((row?.Times as string[] | undefined) ?? []).map((t) => isoToMs(t)).filter((t): t is number => t !== null);
      return { finding: f, times };
    }).filter((b) => b.times.length > 0);
    const summary = buildSummary(res, REPORTS);
    const hosts = [...new Set((res.get('hosts') ?? []).map((h) => h.HostName).filter((h): h is string => typeof h === 'string'))].sort();
    html = renderReport({ title: values.title ?? `PortReport: ${hosts.slice(0, 5).join(', ')}${hosts.length > 5 ? ` and ${hosts.length - 5} more` : ''}`,
      version: VERSION, engine: engine.name, generated: new Date().toISOString(), summary, findings, departures, beacons });
  } finally { await engine.close(); }
  const bytes = Buffer.from(html);
  writeFileAtomic(out, bytes);
  report({ Level: 'information', Code: 'PR_REPORT', Message: `wrote ${out} (${sizeText(bytes.length)})`, Target: out });
  return errorsReported() ? 1 : 0;
}
