/** `portreport status`: what a log directory says about its logger (src/watch/status.ts). */
import { parseArgs } from 'node:util';
import { loggerStatus } from '../watch/status.js';
import { LogDirError } from '../watch/logdir.js';
import { checkContract, oneOf } from './args.js';
import { report, setDiagnosticsFormat, stdoutSink, UsageError } from './io.js';
import { writeObjects } from './objects.js';

export const STATUS_HELP = `Usage: portreport status --log-path DIR [options]

What the log directory says about its logger, without disturbing it: whether a logger holds the
directory's lock now and its pid (the kernel's lock table), since when, the newest write, and the
logger's own notes: when it last started, stopped (and why) and lost events (Gap).

Options:
  --log-path DIR    the log directory (default /var/log/portreport)
  --format ndjson|table   --diagnostics text|json   --contract N`;

export async function runStatusCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, strict: true, allowPositionals: true,
    options: { 'log-path': { type: 'string', default: '/var/log/portreport' }, format: { type: 'string' }, diagnostics: { type: 'string' },
      contract: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) { process.stdout.write(STATUS_HELP + '\n'); return 0; }
  setDiagnosticsFormat(oneOf('diagnostics', values.diagnostics, ['text', 'json'] as const, 'text'));
  checkContract(values.contract);
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const format = oneOf('format', values.format, ['ndjson', 'table'] as const, process.stdout.isTTY ? 'table' : 'ndjson');
  try {
    writeObjects([await loggerStatus(values['log-path']!)], format, stdoutSink);
    return 0;
  } catch (e) {
    if (!(e instanceof LogDirError)) throw e;
    report({ Level: 'error', Code: e.code, Message: e.message, Target: values['log-path'] });
    return 1;
  }
}
