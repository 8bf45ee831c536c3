/** `portreport compact`: closed logs to Parquet, for fast analyses. */
import { parseArgs } from 'node:util';
import type { Diagnostic } from '../model/diagnostic.js';
import { compactable, compactLogs } from '../analyze/compact.js';
import { checkContract, oneOf } from './args.js';
import { report, setDiagnosticsFormat, stdoutSink, UsageError } from './io.js';
import { writeObjects } from './objects.js';

export const COMPACT_HELP = `Usage: portreport compact PATH... [options]

Rewrites closed PortReport logs (the gzipped ones in the folders or files given) as Parquet files
beside them (same name, .parquet; owner-only) that hold every row exactly. summary, detect and
baseline then read the Parquet file instead of the CSV, many times faster; import reads the CSV
while it is there and the Parquet file once it is gone (--delete-source): the same records.

  --all             also plain .csv logs (closed ones copied from elsewhere; not the file a
                    running logger writes)
  --delete-source   remove each CSV once its Parquet file is written
  --dry-run         list what would be compacted, change nothing
  --strict          stop at the first bad row (else: warned and skipped)
  --format ndjson|table   --diagnostics text|json   --contract N`;

export async function runCompactCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, strict: true, allowPositionals: true,
    options: { all: { type: 'boolean', default: false }, 'delete-source': { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false }, format: { type: 'string' }, diagnostics: { type: 'string' }, contract: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) { process.stdout.write(COMPACT_HELP + '\n'); return 0; }
  setDiagnosticsFormat(oneOf('diagnostics', values.diagnostics, ['text', 'json'] as const, 'text'));
  checkContract(values.contract);
  const format = oneOf('format', values.format, ['ndjson', 'table'] as const, process.stdout.isTTY ? 'table' : 'ndjson');
  if (!positionals.length) throw new UsageError('no input: give log folders or files');
  let failed = 0;
  const count = (d: Diagnostic) => { if (d.Level === 'error') failed++; report(d); };
  const files = compactable(positionals, values.all!, count);
  if (values['dry-run']) {
    writeObjects(files.map((f) => ({ RecordType: 'CompactCandidate', Source: f })), format, stdoutSink);
    return failed ? 1 : 0;
  }
  const results = await compactLogs(files, { all: values.all!, deleteSource: values['delete-source']!, strict: values.strict! }, count);
  writeObjects(results, format, stdoutSink);
  return failed ? 1 : 0;
}
