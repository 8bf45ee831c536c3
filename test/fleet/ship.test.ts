/**
 * portreport ship against a real two-shard ClickHouse cluster on 127.0.0.1 (issue 15): three
 * simulated hosts ship their logs; one shipper is killed midway and started again; the cluster
 * then holds exactly the rows that were logged, once each, every cell byte for byte as written.
 * Also: a lost state file and rows the cluster no longer holds, a live logger followed, and the
 * password kept off the command line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, createServer } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { clickhouseReady, startCluster, type Cluster } from '../helpers/clickhouse.js';
import { at, listen, outbound, writeConnections, writeProcesses, seen, type Conn, type Who } from '../helpers/logs.js';
import { runSidecar, SIDECAR } from '../helpers/procs.js';
import { startWatch } from '../helpers/watch.js';
import { sqlText } from '../../src/fleet/clickhouse/client.js';

const HOSTILE: Who = { pid: 66, name: 'a"b,c\nd\te\\f \\N \udcff\udc80 =cmd', path: "'=HYPERLINK(\"x\")", user: 'u,"v"' };

let cl: Cluster;
let root: string;
beforeAll(() => {
  cl = startCluster();
  root = join(cl.dir, 'hosts');
  mkdirSync(root);
}, 120_000);
afterAll(() => cl?.stop());

/** A host's logs: two rotated connections logs, the one still being written, a processes log. */
function hostLogs(name: string, rows: number): string {
  const dir = join(root, name);
  mkdirSync(dir);
  const who: Who = { pid: 100, name: `app-${name}`, path: `/opt/${name}/app`, user: 'svc' };
  const conns = (from: number, n: number): Conn[] => Array.from({ length: n }, (_, i) => (i % 997 === 5
    ? { ...outbound(from + i, HOSTILE, '192.0.2.9', 443, 40000 + (i % 20000)), HostName: name }
    : { ...outbound(from + i, who, `10.0.${i % 200}.${i % 250}`, 443, 30000 + (i % 30000)), HostName: name }));
  writeConnections(dir, '20261102T000000000Z-1-0', [{ ...listen(0, who, 8080), HostName: name }, ...conns(1, rows)], true);
  writeConnections(dir, '20261102T010000000Z-1-1', conns(rows + 1, rows), true);
  writeConnections(dir, '20261102T020000000Z-1-2', conns(2 * rows + 1, Math.floor(rows / 2)));
  writeProcesses(dir, '20261102T000000000Z-1-0', [{ ...seen(0, who), HostName: name }, { ...seen(0, HOSTILE), HostName: name }], true);
  return dir;
}

/** Each log's records (csv-parse, raw cells): what the cluster must hold. */
function logged(dir: string): Map<string, Buffer[][]> {
  const m = new Map<string, Buffer[][]>();
  for (const f of readdirSync(dir).filter((f) => f.startsWith('portreport-') && !f.endsWith('.json'))) {
    let b = readFileSync(join(dir, f));
    if (f.endsWith('.gz')) b = gunzipSync(b);
    m.set(f.replace(/\.gz$/, ''), (parse(b, { encoding: null }) as Buffer[][]).slice(1));
  }
  return m;
}

const ship = (dir: string, host: string, extra: string[] = []) => runSidecar(['ship', dir, '--server', cl.servers[0], '--host', host, '--diagnostics', 'json', ...extra], cl.env);

async function held(host: string): Promise<Map<string, number>> {
  const rows = await cl.ch.rows(`SELECT ShipFile, count(), uniqExact(LogLine) FROM (SELECT ShipFile, LogLine FROM portreport.connections WHERE ShipHost = ${sqlText(host)} `
    + `UNION ALL SELECT ShipFile, LogLine FROM portreport.processes WHERE ShipHost = ${sqlText(host)}) GROUP BY ShipFile`);
  for (const [f, n, u] of rows) expect(n, `${host} ${f}: rows held twice`).toBe(u);
  return new Map(rows.map(([f, n]) => [f!, Number(n)]));
}

describe.runIf(clickhouseReady)('portreport ship to a two-shard cluster', () => {
  it('ships three hosts, one killed midway and restarted, every row once, cells byte for byte', async () => {
    const hosts = ['web01', 'web02', 'db01'];
    const dirs = hosts.map((h) => hostLogs(h, 12_000));
    // web01's shipper, killed as soon as its first batches have landed (of 300). What it must
    // send is counted before it starts, and its exit is awaited from the start: a shipper that
    // finished before the kill fails the test here rather than hanging it.
    const total = [...logged(dirs[0]).values()].reduce((n, r) => n + r.length, 0);
    const child = spawn(process.execPath, [SIDECAR, 'ship', dirs[0], '--server', cl.servers[0], '--host', 'web01', '--batch-rows', '100'], { env: cl.env, stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let at = 0;
    for (let i = 0; i < 3000 && child.exitCode === null; i++) {
      at = await cl.count(`SELECT count() FROM portreport.connections WHERE ShipHost = 'web01'`);
      if (at > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    expect(await exited, 'killed, not finished').toBe(null);
    expect(at, 'killed midway').toBeGreaterThan(0);
    expect(await cl.count(`SELECT count() FROM portreport.connections WHERE ShipHost = 'web01'`), 'killed midway').toBeLessThan(total);
    for (const [i, h] of hosts.entries()) {
      const r = ship(dirs[i], h, ['--batch-rows', '700']);
      expect(r.status, r.stderr).toBe(0);
    }
    for (const [i, h] of hosts.entries()) {
      const want = logged(dirs[i]);
      const have = await held(h);
      expect(Object.fromEntries(have), h).toEqual(Object.fromEntries([...want].map(([f, rows]) => [f, rows.length])));
    }
    // Hosts are sharded: each host's rows on one shard, both shards used.
    const shards = await Promise.all(cl.servers.map(async (_s, i) => (await cl.ch.rows(`SELECT DISTINCT ShipHost FROM remote('127.0.0.1:${JSON.parse(readFileSync(join(cl.dir, 'cluster.json'), 'utf8')).shards[i].tcp}', portreport.connections_local, 'portreport', 'portreport-test')`)).map((r) => r[0])));
    expect(shards.flat().sort()).toEqual([...hosts].sort());
    expect(shards.every((s) => s.length > 0)).toBe(true);
    // Hostile cells come back as the very bytes the log holds.
    const file = 'portreport-connections-v1-20261102T000000000Z-1-0.csv';
    const rec = logged(dirs[1]).get(file)![6]; // the listener, then outbound rows 0-5: line 8
    const cells = await cl.ch.rows(`SELECT hex(ProcessName), hex(ExecutablePath), hex(UserName) FROM portreport.connections WHERE ShipHost = 'web02' AND ShipFile = '${file}' AND LogLine = 8`);
    expect(cells).toEqual([[12, 13, 14].map((c) => rec[c].toString('hex').toUpperCase())]);
    expect(rec[12].toString('latin1')).toContain('\n');
    // Again: nothing more is sent.
    const again = ship(dirs[2], 'db01');
    expect(again.stdout.toString()).not.toMatch(/"Rows":[1-9]/);
  }, 180_000);

  it('asks the cluster how far it got: a lost state file sends nothing twice; rows the cluster dropped are not sent again', async () => {
    const dir = hostLogs('app07', 2_000);
    expect(ship(dir, 'app07').status).toBe(0);
    const before = Object.fromEntries(await held('app07'));
    rmSync(join(dir, 'portreport-ship-state.json'));
    expect(ship(dir, 'app07').status).toBe(0);
    expect(Object.fromEntries(await held('app07'))).toEqual(before);
    // Retention drops a day's partition on every shard: the state keeps it from coming back.
    for (const s of [0, 1]) {
      const port = JSON.parse(readFileSync(join(cl.dir, 'cluster.json'), 'utf8')).shards[s].http;
      const { ClickHouse, targetFrom } = await import('../../src/fleet/clickhouse/client.js');
      const c = new ClickHouse(targetFrom(`http://127.0.0.1:${port}`, 'portreport', null, cl.env));
      await c.query(`ALTER TABLE portreport.processes_local DROP PARTITION 20261102`);
      c.close();
    }
    expect(ship(dir, 'app07').status).toBe(0);
    expect(await cl.count(`SELECT count() FROM portreport.processes WHERE ShipHost = 'app07'`)).toBe(0);
  }, 60_000);

  it('follows a running logger: rows reach the cluster within seconds, each once', async () => {
    const logs = join(root, 'live');
    const srv = createServer((s) => s.on('error', () => {}).end());
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    const w = startWatch(logs, ['--interval', '0.5', '--no-hash', '--no-gzip']);
    await w.nextFlush();
    const follower = spawn(process.execPath, [SIDECAR, 'ship', logs, '--server', cl.servers[0], '--host', 'live01', '--follow', '--interval', '0.5', '--diagnostics', 'json'],
      { env: cl.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    follower.stderr!.on('data', (b) => { stderr += b; });
    for (let i = 0; i < 5; i++) {
      const s = connect(port, '127.0.0.1');
      await new Promise((r) => s.once('close', r).on('error', r));
    }
    const t0 = Date.now();
    let seenRows = 0;
    while (Date.now() - t0 < 15_000) {
      seenRows = await cl.count(`SELECT count() FROM portreport.connections WHERE ShipHost = 'live01' AND LocalPort = '${port}' AND Event = 'Close'`);
      if (seenRows >= 5) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(seenRows, stderr).toBeGreaterThanOrEqual(5);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    follower.kill('SIGTERM');
    expect(await new Promise((r) => follower.once('exit', r)), stderr).toBe(0);
    srv.close();
    // The follower's final pass, then one more one-shot run: the logged rows, once each.
    expect(ship(logs, 'live01').status).toBe(0);
    const want = logged(logs);
    want.forEach((_v, k) => { if (k.startsWith('portreport-initial-')) want.delete(k); });
    const have = await held('live01');
    expect(Object.fromEntries(have)).toEqual(Object.fromEntries([...want].map(([f, rows]) => [f, rows.length])));
  }, 60_000);

  it('waits out a shard that is down, says what is pending, and goes on when it is back: every row once', async () => {
    const dir = hostLogs('outage01', 3_000);
    const shards = JSON.parse(readFileSync(join(cl.dir, 'cluster.json'), 'utf8')).shards as { pid: number; dir: string; http: number }[];
    const mine = Number((await cl.ch.rows(`SELECT sipHash64('outage01') % 2`))[0][0]);
    const other = 1 - mine;
    process.kill(shards[mine].pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const child = spawn(process.execPath, [SIDECAR, 'ship', dir, '--server', `http://127.0.0.1:${shards[other].http}`, '--host', 'outage01', '--max-backoff', '1', '--diagnostics', 'json'],
      { env: cl.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (b) => { stderr += b; });
    for (let i = 0; i < 100 && !stderr.includes('PR_SHIP_WAITING'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(stderr).toContain('PR_SHIP_WAITING');
    expect(stderr).toMatch(/rows pending/);
    // The shard comes back, on its own ports and data.
    const again = spawn('/usr/sbin/clickhouse-server', [`--config-file=${join(shards[mine].dir, 'config.xml')}`], { cwd: shards[mine].dir, detached: true, stdio: 'ignore' });
    again.unref();
    const code = await new Promise((r) => child.once('exit', r));
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('PR_SHIP_RESUMED');
    const want = logged(dir);
    expect(Object.fromEntries(await held('outage01'))).toEqual(Object.fromEntries([...want].map(([f, rows]) => [f, rows.length])));
    // The restarted shard is the cluster's again (the harness stops it by its pid file).
    shards[mine].pid = again.pid!;
    const state = JSON.parse(readFileSync(join(cl.dir, 'cluster.json'), 'utf8'));
    state.shards[mine].pid = again.pid;
    writeFileSync(join(cl.dir, 'cluster.json'), JSON.stringify(state));
  }, 120_000);

  it('takes the password from the environment only: a URL with one is refused', () => {
    const r = runSidecar(['ship', root, '--server', 'http://portreport:secret@127.0.0.1:1/', '--diagnostics', 'json'], cl.env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/PORTREPORT_CLICKHOUSE_PASSWORD/);
    const bad = runSidecar(['ship', root, '--server', cl.servers[0], '--host', 'x'], { ...cl.env, PORTREPORT_CLICKHOUSE_PASSWORD: 'wrong' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/193|password/i);
  });
});
