/**
 * The Parser's picture as one HTML file (docs/report.md): no script, no remote load (a
 * Content-Security-Policy that allows neither), styles and charts inline. Each section holds a
 * chart and the table behind it: the figure says how many rows it draws (data-rows), the chart how
 * many marks it drew (data-marks), each table row and each mark is tagged (data-row, data-mark), so
 * the page can be checked as it is rendered. Every value is escaped by esc() (svg.ts).
 */
import type { Finding } from '../analyze/rules.js';
import type { SummaryRecord } from '../analyze/summary.js';
import { barChart, esc, heatMap, timeline, type Bar, type HeatRow } from './svg.js';

export interface ReportInput {
  title: string;
  version: string;
  engine: string;
  generated: string;
  summary: SummaryRecord[];
  findings: Finding[];
  departures: Finding[] | null;
  /** Beaconing findings' connection times (ms), in the order of the findings. */
  beacons: { finding: Finding; times: number[] }[];
}

const TOP = 25;
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; form-action 'none'; base-uri 'none'";
const STYLE = `body{font:13px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:8px 0;font-size:12px}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top;max-width:420px;overflow-wrap:anywhere}
th{background:#f3f3f3}.sev-High,.sev-Critical{color:#a00;font-weight:bold}.sev-Medium{color:#a60}svg{display:block;margin:6px 0;font:11px system-ui,sans-serif}
svg .bar{fill:#4a7ab5}svg .warn{fill:#c0392b}svg .heat{fill:#c0392b}svg .dot{fill:#4a7ab5}svg .axis{stroke:#999}svg .t{font-weight:bold}svg .s{fill:#666}
.meta td{border:none;padding:1px 8px 1px 0}.note{color:#666}`;

const of = (s: SummaryRecord[], t: string) => s.filter((r) => r.RecordType === t);
/** Host, and container when there is one: "web01/shop-web". */
function where(r: object): string {
  const o = r as { HostName?: unknown; Container?: unknown };
  return `${o.HostName ?? ''}${o.Container ? `/${o.Container}` : ''}`;
}

function table(cols: string[], rows: unknown[][], behind: boolean): string {
  const head = `<tr>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr${behind ? ' data-row="1"' : ''}>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('');
  return `<table${behind ? ' class="behind"' : ''}>${head}${body}</table>`;
}

/** A chart and the table of exactly the rows it draws. */
function figure(svg: string, cols: string[], rows: unknown[][], omitted: number): string {
  const more = omitted > 0 ? `<p class="note">${esc(`${omitted} more not drawn (the top ${rows.length} are).`)}</p>` : '';
  return `<figure data-rows="${rows.length}">${svg}${table(cols, rows, true)}${more}</figure>`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`;
}

function top<T>(rows: T[], key: (r: T) => number): { shown: T[]; omitted: number } {
  const s = [...rows].sort((a, b) => key(b) - key(a));
  return { shown: s.slice(0, TOP), omitted: Math.max(0, s.length - TOP) };
}

function findingsSection(id: string, title: string, fs: Finding[]): string {
  const rules = new Map<string, { sev: string; n: number }>();
  for (const f of fs) { const r = rules.get(f.Rule) ?? { sev: f.Severity, n: 0 }; r.n++; rules.set(f.Rule, r); }
  const rows = [...rules].sort((a, b) => b[1].n - a[1].n);
  const bars: Bar[] = rows.map(([rule, r]) => ({ label: rule, value: r.n, warn: r.sev === 'High' || r.sev === 'Critical' }));
  const detail = fs.map((f) => `<tr class="sev-${esc(f.Severity)}">${[f.Rule, f.Severity, where(f), f.ProcessName, f.ExecutablePath, f.UserName, f.Evidence, f.FirstSeen, f.LastSeen, f.Count]
    .map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('');
  const head = ['Rule', 'Severity', 'Host', 'Process', 'Path', 'User', 'Evidence', 'First seen', 'Last seen', 'Count'].map((c) => `<th>${esc(c)}</th>`).join('');
  return section(id, `${title} (${fs.length})`, fs.length === 0 ? '<p>None.</p>'
    : figure(barChart('Findings by rule', bars), ['Rule', 'Severity', 'Findings'], rows.map(([rule, r]) => [rule, r.sev, r.n]), 0)
      + `<table class="findings"><tr>${head}</tr>${detail}</table>`);
}

export function renderReport(r: ReportInput): string {
  const s = r.summary;
  const hosts = [...new Set(of(s, 'ProcessSummary').concat(of(s, 'PortSummary')).map((x) => String(x.HostName ?? '')))].filter(Boolean).sort();
  const times = s.flatMap((x) => [x.FirstSeen, x.LastSeen]).filter((t): t is string => typeof t === 'string').sort();
  const procs = of(s, 'ProcessSummary');
  const events = procs.reduce((n, p) => n + Number(p.Events ?? 0), 0);
  const unattributed = procs.filter((p) => p.ProcessName === null && p.ExecutablePath === null).reduce((n, p) => n + Number(p.Events ?? 0), 0);
  const meta = table(['', ''], [
    ['Time range', times.length ? `${times[0]} to ${times[times.length - 1]}` : '(no rows)'], ['Hosts', hosts.join(', ') || '(none)'],
    ['Socket events', events], ['Attributed to a process', events ? `${(100 * (events - unattributed) / events).toFixed(1)}%` : 'n/a'],
    ['Findings', r.findings.length], ['Engine', r.engine], ['PortReport', r.version], ['Made', r.generated],
  ], false).replace('<table>', '<table class="meta">');

  const hourRecs = of(s, 'HourSummary');
  const heat = new Map<string, { row: HeatRow; recs: SummaryRecord[]; total: number }>();
  for (const h of hourRecs) {
    const k = `${where(h)} ${h.Protocol}/${h.ServicePort} ${h.Direction === 'Inbound' ? 'in' : 'out'}`;
    const e = heat.get(k) ?? { row: { label: k, cells: Array<number>(24).fill(0) }, recs: [] as SummaryRecord[], total: 0 };
    e.row.cells[Number(h.Hour)] += Number(h.Connections);
    e.recs.push(h);
    e.total += Number(h.Connections);
    heat.set(k, e);
  }
  const heatTop = top([...heat.values()], (e) => e.total);
  const heatRows = heatTop.shown.flatMap((e) => e.recs.map((h) => [e.row.label, h.Hour, h.Connections]));

  const share = top(procs.filter((p) => p.ProcessName !== null), (p) => Number(p.ShareOfTime ?? 0));
  const remotes = top(of(s, 'RemoteHostSummary'), (x) => Number(x.Connections));
  const users = top(of(s, 'UserSummary'), (x) => Number(x.Connections));
  const services = top(of(s, 'ServiceSummary'), (x) => (x.Services as unknown[]).length);
  const modules = top(of(s, 'ModuleSummary'), (x) => Number(x.Instances) + (x.Suspicious ? 1e9 : 0));

  const body = [
    `<h1>${esc(r.title)}</h1>`, meta,
    findingsSection('findings', 'Findings', r.findings),
    section('hours', 'Port use by hour of day', figure(heatMap('Connections by service port and hour (UTC for PortReport logs)', heatTop.shown.map((e) => e.row)),
      ['Service port', 'Hour', 'Connections'], heatRows, heatTop.omitted)),
    section('processes', 'Process share of network time', figure(barChart('Share of the observed hours with network activity', share.shown.map((p) => ({ label: `${p.ProcessName} (${where(p)})`, value: Number(p.ShareOfTime ?? 0) }))),
      ['Host', 'Process', 'Path', 'User', 'Share of time', 'Connections', 'Remote hosts'], share.shown.map((p) => [where(p), p.ProcessName, p.ExecutablePath, p.UserName, p.ShareOfTime, p.Connections, p.RemoteHosts]), share.omitted)),
    section('remotes', 'Top remote hosts', figure(barChart('Connections per remote host', remotes.shown.map((x) => ({ label: `${x.RemoteAddress} (${(x.Processes as unknown[]).join(', ')})`, value: Number(x.Connections) }))),
      ['Host', 'Remote host', 'Processes', 'Service ports', 'Connections'], remotes.shown.map((x) => [where(x), x.RemoteAddress, x.Processes, x.ServicePorts, x.Connections]), remotes.omitted)),
    section('users', 'Users on the network', figure(barChart('Connections per user', users.shown.map((x) => ({ label: `${x.UserName ?? '(unknown)'} (${where(x)})`, value: Number(x.Connections) }))),
      ['Host', 'User', 'Processes', 'Connections'], users.shown.map((x) => [where(x), x.UserName, x.Processes, x.Connections]), users.omitted)),
    section('services', 'Services hosted per process instance', figure(barChart('Services per process instance', services.shown.map((x) => ({ label: `${x.ProcessName} pid ${x.ProcessId} (${where(x)})`, value: (x.Services as unknown[]).length }))),
      ['Host', 'Process', 'Pid', 'Services'], services.shown.map((x) => [where(x), x.ProcessName, x.ProcessId, x.Services]), services.omitted)),
    section('modules', 'Module inventory', figure(barChart('Process instances per module (suspicious first, in red)', modules.shown.map((x) => ({ label: String(x.Module), value: Number(x.Instances), warn: x.Suspicious === true }))),
      ['Host', 'Module', 'Processes', 'Instances', 'Suspicious'], modules.shown.map((x) => [where(x), x.Module, x.Processes, x.Instances, x.Suspicious]), modules.omitted)),
    r.departures ? findingsSection('departures', 'Departures from the baseline', r.departures) : '',
    r.beacons.length ? section('beacons', 'Beaconing timelines', r.beacons.map((b) => figure(timeline(`${b.finding.ProcessName ?? ''} on ${where(b.finding)}: ${b.finding.Evidence}`, b.times),
      ['Connection time'], b.times.map((t) => [new Date(t).toISOString()]), 0)).join('')) : '',
  ].join('\n');
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">`
    + `<meta name="referrer" content="no-referrer"><title>${esc(r.title)}</title><style>${STYLE}</style></head>\n<body>\n${body}\n</body></html>\n`;
}
