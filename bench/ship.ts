/**
 * bench/ship: rows per second shipped from one host into a two-shard ClickHouse cluster on
 * 127.0.0.1 (`portreport ship`, whole process, exactly-once bookkeeping included) against the
 * anchor measured in the same run: a plain `curl -T` upload of the same CSV log to the same
 * Distributed table (the same insert settings), as a ratio. Target: at least 0.8x.
 *   node dist/bench/ship.js [ROWS=2000000] [ROUNDS=3]
 * Needs Debian's clickhouse-server (bash scripts/setup-clickhouse.sh) and curl.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECTION_LOG_COLUMNS } from '../src/watch/logformat.js';
import { ClickHouse, targetFrom } from '../src/fleet/clickhouse/client.js';
import { FastCsvReader } from '../src/import/fastcsv.js';
import { csvRow, PLAIN_LINE } from '../src/fleet/ship/csvcell.js';
import { median, NODE, SIDECAR, startBenchCluster, stopBenchCluster, timeCommandPipe } from './common.js';

const rows = Number(process.argv[2] ?? 2_000_000);
const rounds = Number(process.argv[3] ?? 3);

/** A busy server's connections log, every column up to Message filled, no container. */
function generate(path: string, n: number): void {
  const fd = openSync(path, 'w', 0o600);
  writeSync(fd, CONNECTION_LOG_COLUMNS.join(',') + '\n');
  const tail = `,net:[4026531840]${','.repeat(CONNECTION_LOG_COLUMNS.length - 2 - CONNECTION_LOG_COLUMNS.indexOf('Message'))}`;
  const base = Date.UTC(2026, 10, 2);
  let chunk = '';
  for (let i = 0; i < n; i++) {
    const t = new Date(base + i * 40).toISOString();
    chunk += `${t},Close,TCP,IPv4,10.1.${i % 9}.${i % 251},${8443 + (i % 2)},172.20.${i % 17}.${i % 233},${33000 + (i % 27000)},Closed,Established,${2000 + (i % 61)},`
      + `2026-11-01T00:00:00.000Z,java,/usr/lib/jvm/bin/java,app,1001,app.service,Known,${t},${t},0.8,${i % 90000},${i % 70000},destroy,${5000000 + i},${i},app01,${tail}\n`;
    if (chunk.length > 1 << 20) { writeSync(fd, chunk); chunk = ''; }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'portreport-bench-ship-'));
  const cluster = join(dir, 'cluster');
  try {
    const c = startBenchCluster(cluster);
    const servers = c.servers;
    const logs = join(dir, 'logs');
    mkdirSync(logs, { mode: 0o700 });
    const file = join(logs, 'portreport-connections-v1-20261102T000000000Z-1-0.csv');
    generate(file, rows);
    // curl's password in a config file of its own (0600), not on its command line.
    const curlConfig = join(dir, 'curl.conf');
    writeFileSync(curlConfig, `user = "${c.user}:${c.password}"\n`, { mode: 0o600 });
    const head = Buffer.alloc(4096);
    const hfd = openSync(file, 'r');
    readSync(hfd, head, 0, head.length, 0);
    closeSync(hfd);
    const header = head.toString('latin1').split('\n', 1)[0];
    const insert = `INSERT INTO portreport.connections (${header}) FORMAT CSVWithNames`;
    const url = `${servers[0]}/?${new URLSearchParams({ query: insert, insert_distributed_sync: '1', format_csv_allow_single_quotes: '0' })}`;
    const ch = new ClickHouse(targetFrom(servers[0], 'portreport', null));
    const shards = servers.map((s) => new ClickHouse(targetFrom(s, 'portreport', null)));
    const clear = async () => { for (const s of shards) await s.query('TRUNCATE TABLE portreport.connections_local'); };
    const count = async (where: string) => Number((await ch.rows(`SELECT count() FROM portreport.connections WHERE ${where}`))[0][0]);
    // The plain upload's rows have no ShipHost (''): the shipper's hosts are named to land on the
    // same shard, so both inserts do the same work (parse on the first server, then that shard).
    const shardOf = async (h: string) => Number((await ch.rows(`SELECT sipHash64('${h}') % ${servers.length}`))[0][0]);
    const anchorShard = await shardOf('');
    const hosts: string[] = [];
    for (let k = 0; hosts.length < rounds; k++) if (await shardOf(`bench${k}`) === anchorShard) hosts.push(`bench${k}`);
    const curl: number[] = [];
    const ship: number[] = [];
    for (let r = 0; r < rounds; r++) {
      await clear();
      curl.push((await timeCommandPipe('curl', ['-sS', '--fail', '-K', curlConfig, '-T', file, url]))[0]);
      if (await count("ShipHost = ''") !== rows) throw new Error('the plain upload did not land every row');
      await clear();
      ship.push((await timeCommandPipe(NODE, [SIDECAR, 'ship', logs, '--server', servers[0], '--host', hosts[r], '--state', join(dir, `state-${r}.json`)]))[0]);
      const held = await count(`ShipHost = '${hosts[r]}'`);
      if (held !== rows) throw new Error(`portreport ship landed ${held} of ${rows} rows`);
    }
    // Where the shipper's time goes: its read-and-convert pass alone, in this process (no network).
    const t0 = process.hrtime.bigint();
    let bytes = 0;
    const reader = new FastCsvReader((cells, line) => { bytes += csvRow(`bench,f,${line},`, cells).length; }, () => {}, undefined,
      (raw, line) => { bytes += (PLAIN_LINE.test(raw) ? `bench,f,${line},${raw}\n` : csvRow(`bench,f,${line},`, raw.split(','))).length; });
    const whole = readFileSync(file);
    for (let o = 0; o < whole.length; o += 1 << 20) reader.push(whole.subarray(o, o + (1 << 20)));
    const convertMs = Number(process.hrtime.bigint() - t0) / 1e6;
    ch.close();
    for (const s of shards) s.close();
    const mc = median(curl);
    const ms = median(ship);
    const rate = (t: number) => `${(rows / (t / 1000) / 1e6).toFixed(2)} M rows/s`;
    console.log(`bench/ship: ${rows} rows (${(statSync(file).size / 2 ** 20).toFixed(0)} MB CSV), ${rounds} rounds (medians), two shards on 127.0.0.1`);
    console.log(`  curl -T of the CSV into the Distributed table (anchor)  ${(mc / 1000).toFixed(2)} s  ${rate(mc)}  1.00x`);
    console.log(`  portreport ship (exactly-once)                         ${(ms / 1000).toFixed(2)} s  ${rate(ms)}  ${(mc / ms).toFixed(2)}x of the plain upload; target >= 0.80x`);
    console.log(`  breakdown: the shipper reads and converts the rows in ${(convertMs / 1000).toFixed(2)} s (${(bytes / 2 ** 20).toFixed(0)} MB sent); the server's insert of a plain upload takes ${(mc / 1000).toFixed(2)} s`);
  } finally {
    stopBenchCluster(cluster);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
