/** stdout/stderr handling shared by every subcommand. */
import type { Diagnostic } from '../model/diagnostic.js';
import { terminalSafe } from '../util/display.js';

export type DiagnosticsFormat = 'text' | 'json';

/** A usage error: exit code 2, message names the option at fault. */
export class UsageError extends Error {
  readonly code = 'PR_USAGE';
}

let diagFormat: DiagnosticsFormat = 'text';
let verbose = false;
export function setDiagnosticsFormat(f: DiagnosticsFormat): void { diagFormat = f; }
/** Text diagnostics leave out verbose ones unless asked (JSON passes all: the module decides). */
export function setVerbose(v: boolean): void { verbose = v; }

let errors = 0;
/** How many error diagnostics were reported (an input that failed): commands exit 1 when any was. */
export function errorsReported(): number { return errors; }

/** Report a diagnostic on stderr, as text for people or one JSON object a line for the module. */
export function report(d: Diagnostic): void {
  if (d.Level === 'error') errors++;
  if (diagFormat === 'json') process.stderr.write(JSON.stringify(d) + '\n');
  // Messages quote names, paths and rows that attackers control: escaped for the terminal.
  else if (d.Level === 'information') process.stderr.write(terminalSafe(`portreport: ${d.Message}`) + '\n');
  else if (d.Level !== 'verbose' || verbose) process.stderr.write(terminalSafe(`portreport: ${d.Level} ${d.Code}: ${d.Message}${d.Target ? ` (${d.Target})` : ''}`) + '\n');
}

/** Write to stdout; a closed reader (EPIPE, e.g. `| head`) ends the process quietly. */
export function stdoutSink(chunk: string | Buffer): void {
  process.stdout.write(chunk);
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  // A full disk or a closed file under the output: a message, not a stack trace.
  report({ Level: 'error', Code: 'PR_OUTPUT', Message: `cannot write the output: ${e.code ?? e.message}` });
  process.exit(1);
});
