/** `portreport ship` and `portreport clickhouse-schema`: a host's logs into a ClickHouse cluster (docs/fleet.md). */
import { statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ClickHouse, ClickHouseError, PASSWORD_ENV, targetFrom } from '../fleet/clickhouse/client.js';
import { schemaStatements, upgradeStatements } from '../fleet/clickhouse/schema.js';
import { readState } from '../fleet/ship/state.js';
import { Shipper } from '../fleet/ship/shipper.js';
import { checkContract, oneOf } from './args.js';
import { errorsReported, report, setDiagnosticsFormat, setVerbose, stdoutSink, UsageError } from './io.js';
import { writeObjects } from './objects.js';

const CONNECTION_HELP = `  --server URL          a ClickHouse server of the cluster, http://host:8123 (no password in it)
  --database NAME       default portreport
  --user NAME           default: PORTREPORT_CLICKHOUSE_USER, else "default"; the password is read from
                        ${PASSWORD_ENV} (Publish-PortReportLog -Credential sets it), never from a flag`;

export const SHIP_HELP = `Usage: portreport ship PATH... --server URL [options]

Sends PortReport logs (the folders or files given: rotated .gz logs and the file a logger is
writing) to ClickHouse, every row once: a row the cluster holds is never sent again, after a
crash, a restart or an outage, and none is lost. The host name travels on every row (ShipHost).
The tables must exist (portreport clickhouse-schema).

${CONNECTION_HELP}
  --host NAME           the name rows are shipped under (default: this host's name)
  --state FILE          how far each file got (default: portreport-ship-state.json in the first
                        folder given, or beside the first file)
  --follow              keep going: ship new rows every --interval seconds (default 1) until stopped
  --batch-rows N        rows per INSERT (default 200000, at most 48 MB)
  --max-backoff S       longest wait between retries while the server is down (default 60)
  --format ndjson|table   --diagnostics text|json   --verbose   --contract N`;

export const SCHEMA_HELP = `Usage: portreport clickhouse-schema --server URL [--server URL...] [options]

Creates (or brings up to date) PortReport's tables on every server given: per log kind a MergeTree
table partitioned by day (<kind>_local) and a Distributed table over the cluster sharded by host.
Without ZooKeeper there is no ON CLUSTER: give every server of the cluster. --print writes the SQL
instead, for a DBA to apply.

${CONNECTION_HELP}
  --cluster NAME        the cluster of remote_servers (default portreport)
  --print               print the statements, change nothing
  --diagnostics text|json   --contract N`;

function connection(values: { server?: string[]; database?: string; user?: string }): ClickHouse[] {
  if (!values.server?.length) throw new UsageError('--server is required (http://host:8123)');
  try {
    return values.server.map((s) => new ClickHouse(targetFrom(s, values.database ?? 'portreport', values.user ?? null)));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

const CONNECTION_OPTIONS = { server: { type: 'string', multiple: true }, database: { type: 'string' }, user: { type: 'string' } } as const;

export async function runShipCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, strict: true, allowPositionals: true,
    options: { ...CONNECTION_OPTIONS, host: { type: 'string' }, state: { type: 'string' }, follow: { type: 'boolean', default: false },
      interval: { type: 'string', default: '1' }, 'batch-rows': { type: 'string', default: '200000' }, 'max-backoff': { type: 'string', default: '60' },
      format: { type: 'string' }, diagnostics: { type: 'string' }, verbose: { type: 'boolean', default: false }, contract: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) { process.stdout.write(SHIP_HELP + '\n'); return 0; }
  setDiagnosticsFormat(oneOf('diagnostics', values.diagnostics, ['text', 'json'] as const, 'text'));
  setVerbose(values.verbose!);
  checkContract(values.contract);
  const format = oneOf('format', values.format, ['ndjson', 'table'] as const, process.stdout.isTTY ? 'table' : 'ndjson');
  if (!positionals.length) throw new UsageError('no input: give log folders or files');
  if ((values.server?.length ?? 0) > 1) throw new UsageError('--server: ship to one server (it forwards each host\'s rows to its shard)');
  const [ch] = connection(values);
  const host = values.host ?? hostname();
  if (!/^[\x21-\x7e]{1,255}$/.test(host)) throw new UsageError('--host: a host name is 1-255 printable ASCII characters without spaces');
  const number = (opt: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new UsageError(`--${opt}: ${JSON.stringify(v)} is not a number of at least ${min}`);
    return n;
  };
  let statePath = values.state;
  if (!statePath) {
    // Beside the logs: in the first folder given, or in the folder of the first file.
    const first = positionals[0];
    let dir: boolean;
    try { dir = statSync(first).isDirectory(); } catch { throw new UsageError(`${first}: no such file or folder (and no --state FILE given)`); }
    statePath = join(dir ? first : dirname(first), 'portreport-ship-state.json');
  }
  const target = `${ch.target.url.host}/${ch.target.database}`;
  const shipper = new Shipper(ch, {
    paths: positionals, host, statePath, state: readState(statePath, target, host), batchRows: number('batch-rows', values['batch-rows']!, 1),
    follow: values.follow!, intervalMs: number('interval', values.interval!, 0.05) * 1000, maxBackoffMs: number('max-backoff', values['max-backoff']!, 1) * 1000,
  }, report);
  const stop = () => shipper.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    const results = await shipper.run();
    writeObjects(results, format, stdoutSink);
  } catch (e) {
    if (e instanceof ClickHouseError && e.serverCode === 60) throw new Error(`${e.message}\nthe tables are missing: run portreport clickhouse-schema --server URL (on every server of the cluster)`);
    throw e;
  } finally {
    ch.close();
  }
  return errorsReported() ? 1 : 0;
}

export async function runSchemaCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true, allowPositionals: false,
    options: { ...CONNECTION_OPTIONS, cluster: { type: 'string', default: 'portreport' }, print: { type: 'boolean', default: false },
      diagnostics: { type: 'string' }, contract: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) { process.stdout.write(SCHEMA_HELP + '\n'); return 0; }
  setDiagnosticsFormat(oneOf('diagnostics', values.diagnostics, ['text', 'json'] as const, 'text'));
  checkContract(values.contract);
  const database = values.database ?? 'portreport';
  let statements: string[];
  try { statements = schemaStatements(database, values.cluster!); } catch (e) { throw new UsageError((e as Error).message); }
  if (values.print) { process.stdout.write(statements.map((s) => `${s};\n`).join('')); return 0; }
  for (const ch of connection(values)) {
    try {
      for (const s of statements) await ch.query(s);
      // Tables made by an earlier PortReport lack the columns added since: add them.
      const cols = await ch.rows(`SELECT table, name FROM system.columns WHERE database = '${database}'`);
      const have = new Map<string, Set<string>>();
      for (const [t, c] of cols) { if (t && c) { if (!have.has(t)) have.set(t, new Set()); have.get(t)!.add(c); } }
      for (const s of upgradeStatements(database, have)) await ch.query(s);
      report({ Level: 'information', Code: 'PR_SCHEMA', Message: `${ch.target.url.host}: the tables of ${database} are in place`, Target: ch.target.url.host });
    } finally { ch.close(); }
  }
  return 0;
}
