/** `portreport export`: logs, a live snapshot or records as ECS or OCSF NDJSON for a SIEM (docs/export.md). */
import { closeSync, createReadStream, renameSync, rmSync, writeSync } from 'node:fs';
import { createBeside, existsNoFollow } from '../util/files.js';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { ConnectionRecord } from '../model/record.js';
import type { LogRecord } from '../import/records.js';
import { runImport } from '../import/importer.js';
import { recordProblem } from '../analyze/run.js';
import { ecsDocument } from '../export/ecs.js';
import { FlowBuilder, type Flow } from '../export/flow.js';
import { ocsfEvent } from '../export/ocsf.js';
import { checkContract, oneOf } from './args.js';
import { errorsReported, report, setDiagnosticsFormat, UsageError } from './io.js';

export const EXPORT_HELP = `Usage: portreport export [PATH...] [--live] [--input FILE] --format ecs|ocsf [--out FILE]

Writes every socket event of PortReport logs (and Port Reporter 1.x logs), of a live snapshot or
of records (NDJSON from snapshot or import, or PowerShell objects) as one JSON document a line:
  ecs    Elastic Common Schema 9 (event.category network; source, destination, network, process,
         user, host, container; hosted services under portreport.*)
  ocsf   OCSF 1.8.0 Network Activity (class_uid 4001; Open, Close, Listen, Traffic)
Text that is not UTF-8 is written with U+FFFD, its exact bytes base64 in portreport.exact_bytes
(ECS) or unmapped.portreport_exact_bytes (OCSF).

  --out FILE     write there (created owner-only; --force replaces it) instead of stdout
  --diagnostics text|json   --contract N`;

/** Where documents go: stdout, or a new owner-only file renamed into place at the end. */
class Output {
  private fd: number;
  private tmp: string | null = null;
  private buf: string[] = [];
  private size = 0;
  constructor(private path: string | null, force: boolean) {
    if (path === null) { this.fd = 1; return; }
    if (!force && existsNoFollow(path)) throw new UsageError(`--out: ${path} already exists (use --force to replace it)`);
    ({ tmp: this.tmp, fd: this.fd } = createBeside(path));
  }
  write(line: string): void {
    this.buf.push(line);
    this.size += line.length;
    if (this.size >= 1 << 20) this.flush();
  }
  flush(): void {
    if (!this.buf.length) return;
    const b = Buffer.from(this.buf.join(''));
    for (let o = 0; o < b.length;) {
      try { o += writeSync(this.fd, b, o); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e; }
    }
    this.buf = [];
    this.size = 0;
  }
  close(ok: boolean): void {
    this.flush();
    if (this.tmp === null) return;
    closeSync(this.fd);
    if (ok) renameSync(this.tmp, this.path!);
    else rmSync(this.tmp, { force: true });
  }
}

export async function runExportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, strict: true, allowPositionals: true,
    options: { format: { type: 'string' }, live: { type: 'boolean', default: false }, input: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false },
      diagnostics: { type: 'string' }, contract: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) { process.stdout.write(EXPORT_HELP + '\n'); return 0; }
  setDiagnosticsFormat(oneOf('diagnostics', values.diagnostics, ['text', 'json'] as const, 'text'));
  checkContract(values.contract);
  if (values.format === undefined) throw new UsageError('--format ecs or ocsf is required');
  const format = oneOf('format', values.format.toLowerCase(), ['ecs', 'ocsf'] as const, 'ecs');
  if (!positionals.length && !values.live && values.input === undefined) throw new UsageError('no input: give log files or folders, --live, or --input FILE');
  const make = format === 'ecs' ? ecsDocument : ocsfEvent;
  const out = new Output(values.out ?? null, values.force!);
  const flows = new FlowBuilder();
  let written = 0;
  const emit = (f: Flow | null) => { if (f) { out.write(JSON.stringify(make(f)) + '\n'); written++; } };
  let ok = false;
  try {
    if (values.live) {
      const { loadCollector } = await import('../collect/index.js');
      const snap = await (await loadCollector())({ filter: {}, includeModules: false, includeHash: false, source: 'auto' });
      for (const d of snap.diagnostics) report(d);
      for (const r of snap.records) emit(flows.fromLive(r));
    }
    if (values.input !== undefined) {
      const input = values.input === '-' ? process.stdin : createReadStream(values.input);
      let n = 0;
      for await (const line of createInterface({ input, crlfDelay: Infinity })) {
        n++;
        if (line.trim() === '') continue;
        let o: Record<string, unknown>;
        try { o = JSON.parse(line) as Record<string, unknown>; } catch { report({ Level: 'warning', Code: 'PR_INPUT_BAD_JSON', Message: `${values.input}:${n}: not a JSON record; skipped`, Target: values.input }); continue; }
        const problem = typeof o === 'object' && o !== null && !Array.isArray(o) ? recordProblem(o) : 'not a JSON object';
        if (problem) { report({ Level: 'warning', Code: 'PR_INPUT_BAD_RECORD', Message: `${values.input}:${n}: ${problem}; skipped`, Target: values.input }); continue; }
        if (o.RecordType === 'LogRecord') emit(flows.fromLog(o as unknown as LogRecord));
        else if ('ObservedAt' in o && 'LocalPort' in o) emit(flows.fromLive(o as unknown as ConnectionRecord));
      }
    }
    if (positionals.length) {
      await runImport({ paths: positionals, filter: {}, strict: false }, (r) => { if (r.RecordType === 'LogRecord') emit(flows.fromLog(r)); }, report);
    }
    ok = true;
  } finally {
    out.close(ok);
  }
  report({ Level: 'verbose', Code: 'PR_EXPORTED', Message: `${written} ${format.toUpperCase()} documents written${values.out ? ` to ${values.out}` : ''}` });
  return errorsReported() ? 1 : 0;
}
