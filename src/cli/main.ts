#!/usr/bin/env node
/** The PortReport sidecar: `portreport <command> [options]`. */
import { VERSION } from '../version.js';
import { report, UsageError } from './io.js';

const HELP = `Usage: portreport <command> [options]

Commands:
  snapshot   every TCP/UDP socket with its owning process (see: portreport snapshot --help)
  watch      log every connection and process continuously (see: portreport watch --help)
  import     read PortReport and Port Reporter 1.x logs as records (see: portreport import --help)
  summary    the Parser's reports over logs or a live snapshot (see: portreport summary --help)
  detect     findings: masquerade, watch lists, suspicious paths, baseline, beaconing, rare
  baseline   learn routine behaviour from logs into a baseline file (see: portreport baseline --help)
  compact    rewrite closed logs as Parquet for fast analyses (see: portreport compact --help)
  report     one self-contained HTML report of logs or a live snapshot (see: portreport report --help)
  export     logs or a live snapshot as ECS or OCSF NDJSON for a SIEM (see: portreport export --help)
  ship       send logs to a ClickHouse cluster, every row once (see: portreport ship --help)
  clickhouse-schema   create PortReport's tables on ClickHouse servers (see: portreport clickhouse-schema --help)
  status     is a logger writing to a log folder, since when, its last stop and gap (see: portreport status --help)
  version    print the sidecar and contract versions (also --version)

PortReport: what on this host talked to the network, as whom, and is that normal.`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    // Each command loads only its own modules: a snapshot does not pay for the importer's.
    case 'snapshot':
      return (await import('./snapshot.js')).runSnapshot(rest);
    case 'watch':
      return (await import('./watch.js')).runWatchCommand(rest);
    case 'import':
      return (await import('./import.js')).runImportCommand(rest);
    case 'summary':
      return (await import('./analyze.js')).runSummaryCommand(rest);
    case 'detect':
      return (await import('./analyze.js')).runDetectCommand(rest);
    case 'baseline':
      return (await import('./analyze.js')).runBaselineCommand(rest);
    case 'compact':
      return (await import('./compact.js')).runCompactCommand(rest);
    case 'status':
      return (await import('./status.js')).runStatusCommand(rest);
    case 'report':
      return (await import('./report.js')).runReportCommand(rest);
    case 'export':
      return (await import('./export.js')).runExportCommand(rest);
    case 'ship':
      return (await import('./ship.js')).runShipCommand(rest);
    case 'clickhouse-schema':
      return (await import('./ship.js')).runSchemaCommand(rest);
    case '--version':
    case '-V':
    case 'version': {
      const { CONTRACT_VERSION } = await import('../model/record.js');
      process.stdout.write(JSON.stringify({ Version: VERSION, Contract: CONTRACT_VERSION, Node: process.version }) + '\n');
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP + '\n');
      return cmd === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${cmd}" (try: portreport help)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: Error & { code?: string }) => {
    const usage = e instanceof UsageError || e.code === 'PR_USAGE' || e.code?.startsWith('ERR_PARSE_ARGS');
    report({ Level: 'error', Code: usage ? 'PR_USAGE' : (e.code ?? 'PR_FAILED'), Message: e.message, Fatal: true });
    process.exitCode = usage ? 2 : 1;
  },
);
