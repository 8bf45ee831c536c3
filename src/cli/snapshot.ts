/** `portreport snapshot`: every socket with its process context, filtered, as NDJSON, CSV or a table. */
import { parseArgs } from 'node:util';
import { CONTRACT_VERSION, CONTRACT_VERSIONS } from '../model/record.js';
import { loadCollector } from '../collect/index.js';
import { addresses, checkContract, integers, list, oneOf, ports, protocols, states } from './args.js';
import { report, setDiagnosticsFormat, stdoutSink, UsageError } from './io.js';
import { widenStdoutPipe } from './pipe.js';

export const SNAPSHOT_HELP = `Usage: portreport snapshot [options]

Every TCP and UDP socket on this host (IPv4 and IPv6, all states) with its owning process: pid,
name, executable path, command line, parent, start time, user, systemd unit; optionally the loaded
modules and the executable's SHA-256. Root sees every owner; others see their own.

Filters (repeatable, comma lists allowed; applied before output):
  --protocol tcp|udp         --state listen,established,time-wait,bound,...
  --local-port N             --remote-port N
  --remote-address IP|CIDR   --process NAME   (wildcards * ?, case-insensitive)
  --pid N                    --container ID|NAME|POD-UID   (Linux; wildcards; a 12-character id
                             as docker ps shows it, and the container's name, match too; the
                             host's own sockets match none)
  --netns 'net:[N]'|N        (Linux) sockets of one network namespace; every namespace's sockets
                             are in a snapshot (each container's), NetNamespace says whose

Output:
  --format ndjson|csv|table|packed  default: table on a terminal, else ndjson (packed: the
                             compact form the PowerShell module reads, contract 2, docs/record.md)
  --include-modules          loaded shared objects of each owning process
  --include-hash             SHA-256 of each owning executable (cached by inode/size/mtime)
  --include-bytes            Windows: per-connection bytes (GetPerTcpConnectionEStats; needs
                             Administrator; counts from when collection was first enabled). Linux
                             always gives them.
  --source auto|netlink|procfs   socket source (auto: netlink, falling back to /proc/net)
  --contract N               NDJSON contract version the caller speaks (${CONTRACT_VERSIONS.join(' or ')}; default ${CONTRACT_VERSION})
  --diagnostics text|json    stderr format (json: one {Level,Code,Message} object a line)

Exit codes: 0 ok, 1 failed, 2 bad usage.
Examples:
  portreport snapshot --state listen
  portreport snapshot --protocol tcp --remote-port 443 --format csv > https.csv
  portreport snapshot --process 'ssh*' --include-modules --format ndjson | jq .`;

export async function runSnapshot(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      protocol: { type: 'string', multiple: true },
      state: { type: 'string', multiple: true },
      'local-port': { type: 'string', multiple: true },
      'remote-port': { type: 'string', multiple: true },
      'remote-address': { type: 'string', multiple: true },
      process: { type: 'string', multiple: true },
      pid: { type: 'string', multiple: true },
      container: { type: 'string', multiple: true },
      netns: { type: 'string', multiple: true },
      format: { type: 'string' },
      'include-modules': { type: 'boolean', default: false },
      'include-hash': { type: 'boolean', default: false },
      'include-bytes': { type: 'boolean', default: false },
      source: { type: 'string' },
      contract: { type: 'string' },
      diagnostics: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) { process.stdout.write(SNAPSHOT_HELP + '\n'); return 0; }
  setDiagnosticsFormat(oneOf('diagnostics', values.diagnostics, ['text', 'json'] as const, 'text'));
  const contract = checkContract(values.contract);
  const format = oneOf('format', values.format, ['ndjson', 'csv', 'table', 'packed'] as const, process.stdout.isTTY ? 'table' : 'ndjson');
  if (format === 'packed' && contract < 2) throw new UsageError('--format packed: needs contract 2 or later (given --contract 1)');
  const collect = await loadCollector();
  const snap = await collect({
    filter: {
      protocol: protocols(values.protocol),
      state: states(values.state),
      localPort: ports('local-port', values['local-port']),
      remotePort: ports('remote-port', values['remote-port']),
      remoteAddress: addresses(values['remote-address']),
      processName: list(values.process),
      pid: integers('pid', values.pid),
      container: list(values.container),
      netns: list(values.netns),
    },
    includeModules: values['include-modules']!,
    includeHash: values['include-hash']!,
    includeBytes: values['include-bytes']!,
    source: oneOf('source', values.source, ['auto', 'netlink', 'procfs'] as const, 'auto'),
  });
  for (const d of snap.diagnostics) report(d);
  widenStdoutPipe();
  // Writers load on demand: an NDJSON run does not pay for the CSV library.
  if (format === 'ndjson') (await import('../output/ndjson.js')).writeNdjson(snap.records, stdoutSink);
  else if (format === 'packed') (await import('../output/packed.js')).writePacked(snap.records, stdoutSink);
  else if (format === 'csv') (await import('../output/csv.js')).writeCsv(snap.records, stdoutSink);
  else (await import('../output/table.js')).writeTable(snap.records, stdoutSink);
  return 0;
}
