/** `portreport import`: PortReport and Port Reporter 1.x logs as NDJSON records. */
import { parseArgs } from 'node:util';
import { runImport } from '../import/importer.js';
import { EXACT_IMPORT_PROPS, type ImportedRecord } from '../import/records.js';
import type { RowConverter } from '../import/ourlogs.js';
import { exactLine, lineWriter } from '../output/ndjson.js';
import { addresses, checkContract, isoTime, list, oneOf, ports, protocols } from './args.js';
import { report, setDiagnosticsFormat, stdoutSink, UsageError } from './io.js';
import { widenStdoutPipe } from './pipe.js';
import { peakMemoryMb } from '../util/progress.js';

export const IMPORT_HELP = `Usage: portreport import PATH... [options]

Reads PortReport logs (portreport-*-v1-*.csv, plain or .gz) and genuine Port Reporter 1.x logs
(PR-PORTS-*.log joined with their PR-PIDS process data, PR-PIDS-*, PR-INITIAL-*; UTF-16LE or ANSI,
CRLF or LF) and writes one JSON record a line: RecordType LogRecord (a connection event or
snapshot socket) or ProcessRecord. A PATH may be a file or a folder (its log files).

Filters (applied before output):
  --process NAME   --user NAME        (wildcards * ?, case-insensitive)
  --protocol tcp|udp   --local-port N   --remote-port N   --remote-address IP|CIDR
  --after TIME     --before TIME      (ISO-8601; Port Reporter 1.x local times compare as UTC)

A malformed row is a warning naming file, line and reason, and the import goes on; --strict stops
at the first one. A file that is unreadable, truncated or not a log is an error for that file only
(exit code 1 at the end). Imports longer than two seconds report progress on stderr.

  --engine auto|stream|duckdb   how a plain connections log is read: duckdb scans it with DuckDB,
           the filters pushed into the scan, then judges each row it returns as the streaming
           reader does (same records, same warnings); auto (default) does that for files of
           64 MiB or more when a filter can be pushed (docs/import.md, "Engines"); stream never
  --strict   --diagnostics text|json   --contract N
  --format ndjson|packed   packed: the compact form the PowerShell module reads (contract 2,
                           docs/import.md); default ndjson`;

/** The option as the filter's UTC time (a time without a zone is this computer's local time). */
function time(opt: string, v: string | undefined): string | undefined {
  const t = isoTime(opt, v);
  return t === null ? undefined : new Date(t).toISOString();
}

export async function runImportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      process: { type: 'string', multiple: true },
      user: { type: 'string', multiple: true },
      protocol: { type: 'string', multiple: true },
      'local-port': { type: 'string', multiple: true },
      'remote-port': { type: 'string', multiple: true },
      'remote-address': { type: 'string', multiple: true },
      after: { type: 'string' },
      before: { type: 'string' },
      strict: { type: 'boolean', default: false },
      diagnostics: { type: 'string' },
      contract: { type: 'string' },
      format: { type: 'string' },
      engine: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) { process.stdout.write(IMPORT_HELP + '\n'); return 0; }
  setDiagnosticsFormat(oneOf('diagnostics', values.diagnostics, ['text', 'json'] as const, 'text'));
  const contract = checkContract(values.contract);
  if (positionals.length === 0) throw new UsageError('import: give at least one log file or folder');
  widenStdoutPipe();
  const format = oneOf('format', values.format, ['ndjson', 'packed'] as const, 'ndjson');
  if (format === 'packed' && contract < 2) throw new UsageError('--format packed: needs contract 2 or later (given --contract 1)');
  const w = lineWriter(stdoutSink);
  const packed = format === 'packed' ? new (await import('../output/packedlog.js')).PackedLogSerializer() : null;
  const emit = packed ? (r: ImportedRecord) => w.add(packed.lines(r)) : (r: ImportedRecord) => w.add(exactLine(r, EXACT_IMPORT_PROPS));
  // Plain rows straight from their cells, in either format (PORTREPORT_PLAIN_ROWS=0 turns it off, to compare).
  const direct = process.env.PORTREPORT_PLAIN_ROWS === '0' ? null
    : packed ? new (await import('../output/packedplain.js')).PlainPackedRows(packed) : new (await import('../output/ndjsonplain.js')).PlainNdjsonRows();
  const plainRow = direct ? (cells: string[], line: number, raw: string, conv: RowConverter) => {
    const text = direct.text(cells, line, raw, conv);
    if (text === null) return false;
    w.add(text);
    return true;
  } : undefined;
  const summary = await runImport({
    paths: positionals,
    strict: values.strict!,
    engine: oneOf('engine', values.engine, ['auto', 'stream', 'duckdb'] as const, 'auto'),
    plainRow,
    filter: {
      processName: list(values.process),
      userName: list(values.user),
      protocol: protocols(values.protocol),
      localPort: ports('local-port', values['local-port']),
      remotePort: ports('remote-port', values['remote-port']),
      remoteAddress: addresses(values['remote-address']),
      after: time('after', values.after),
      before: time('before', values.before),
    },
  }, emit, report);
  w.end();
  report({ Level: 'verbose', Code: 'PR_IMPORT_DONE', Message: `${summary.records} records from ${summary.files} files (${summary.failedFiles} failed, ${summary.badRows} bad rows skipped); peak memory ${peakMemoryMb()} MB` });
  return summary.failedFiles > 0 ? 1 : 0;
}
