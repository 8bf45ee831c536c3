#!/usr/bin/env node
// A local two-shard ClickHouse cluster for the tests, the benches and trying PortReport's fleet
// commands: two clickhouse-server processes (Debian's package) on 127.0.0.1, each with its own
// ports, data folder and log, both knowing a cluster "portreport" of the two as shards.
//   node scripts/clickhouse-cluster.mjs start DIR   starts them (DIR is created 0700) and prints
//                                                   {"shards":[{"http":…,"tcp":…},…],"user":…,"password":…}
//   node scripts/clickhouse-cluster.mjs stop DIR    stops them (their pid files in DIR) and waits
// No ZooKeeper: DDL runs on each server (portreport clickhouse-schema does), no replication.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { request } from 'node:http';

const SERVER = '/usr/sbin/clickhouse-server';
const USER = 'portreport';
const PASSWORD = 'portreport-test';

const freePort = () => new Promise((ok, fail) => {
  const s = createServer();
  s.once('error', fail);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

const xml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function config(dir, me, shards) {
  const replicas = shards.map((s) => `<shard><replica><host>127.0.0.1</host><port>${s.tcp}</port><user>${USER}</user><password>${xml(PASSWORD)}</password></replica></shard>`).join('');
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${xml(join(dir, 'server.log'))}</log><errorlog>${xml(join(dir, 'server.err.log'))}</errorlog><size>10M</size><count>2</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${me.http}</http_port>
  <tcp_port>${me.tcp}</tcp_port>
  <interserver_http_port>${me.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <max_connections>256</max_connections>
  <keep_alive_timeout>10</keep_alive_timeout>
  <max_concurrent_queries>64</max_concurrent_queries>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <mark_cache_size>67108864</mark_cache_size>
  <path>${xml(join(dir, 'data'))}/</path>
  <tmp_path>${xml(join(dir, 'tmp'))}/</tmp_path>
  <user_files_path>${xml(join(dir, 'user_files'))}/</user_files_path>
  <format_schema_path>${xml(join(dir, 'format_schemas'))}/</format_schema_path>
  <users_config>${xml(join(dir, 'users.xml'))}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <remote_servers><portreport>${replicas}</portreport></remote_servers>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
`;
}

const USERS = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><load_balancing>random</load_balancing></default></profiles>
  <users>
    <${USER}><password>${xml(PASSWORD)}</password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></${USER}>
    <default><password>${xml(PASSWORD)}</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

function ping(port) {
  return new Promise((ok) => {
    const req = request({ host: '127.0.0.1', port, path: '/ping', timeout: 1000 }, (res) => { res.resume(); ok(res.statusCode === 200); });
    req.on('error', () => ok(false));
    req.on('timeout', () => { req.destroy(); ok(false); });
    req.end();
  });
}

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function start(root) {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: install Debian's clickhouse-server (bash scripts/setup-clickhouse.sh)`);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const state = join(root, 'cluster.json');
  if (existsSync(state)) {
    const s = JSON.parse(readFileSync(state, 'utf8'));
    if (s.shards.every((x) => alive(x.pid))) return s;
  }
  const shards = [];
  for (let i = 0; i < 2; i++) shards.push({ http: await freePort(), tcp: await freePort(), interserver: await freePort() });
  for (const [i, me] of shards.entries()) {
    const dir = join(root, `shard${i + 1}`);
    for (const d of ['data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, d), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, 'users.xml'), USERS, { mode: 0o600 });
    writeFileSync(join(dir, 'config.xml'), config(dir, me, shards), { mode: 0o600 });
    const out = openSync(join(dir, 'stdout.log'), 'a');
    const child = spawn(SERVER, [`--config-file=${join(dir, 'config.xml')}`], { cwd: dir, detached: true, stdio: ['ignore', out, out] });
    child.unref();
    me.pid = child.pid;
    me.dir = dir;
  }
  const deadline = Date.now() + 60_000;
  for (const me of shards) {
    while (!(await ping(me.http))) {
      if (!alive(me.pid)) throw new Error(`clickhouse-server exited at start; see ${me.dir}/server.err.log and ${me.dir}/stdout.log`);
      if (Date.now() > deadline) throw new Error(`clickhouse-server did not answer on 127.0.0.1:${me.http} in 60 s`);
      await sleep(100);
    }
  }
  const s = { shards, user: USER, password: PASSWORD, cluster: 'portreport' };
  writeFileSync(state, JSON.stringify(s), { mode: 0o600 });
  return s;
}

async function stop(root) {
  const state = join(root, 'cluster.json');
  if (!existsSync(state)) return;
  const s = JSON.parse(readFileSync(state, 'utf8'));
  for (const me of s.shards) if (alive(me.pid)) process.kill(me.pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  for (const me of s.shards) {
    while (alive(me.pid) && Date.now() < deadline) await sleep(100);
    if (alive(me.pid)) process.kill(me.pid, 'SIGKILL');
  }
}

const [cmd, dir] = process.argv.slice(2);
if (!['start', 'stop'].includes(cmd) || !dir) {
  console.error('usage: node scripts/clickhouse-cluster.mjs start|stop DIR');
  process.exit(2);
}
try {
  if (cmd === 'start') console.log(JSON.stringify(await start(resolve(dir))));
  else await stop(resolve(dir));
} catch (e) {
  console.error(`clickhouse-cluster: ${e.message}`);
  process.exit(1);
}
