/** A real two-shard ClickHouse cluster on 127.0.0.1 for the fleet tests (scripts/clickhouse-cluster.mjs). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouse, targetFrom } from '../../src/fleet/clickhouse/client.js';
import { ROOT, runSidecar } from './procs.js';

export const clickhouseReady = existsSync('/usr/sbin/clickhouse-server');
if (!clickhouseReady && process.env.CI) throw new Error('clickhouse-server is missing: run bash scripts/setup-clickhouse.sh');

export interface Cluster {
  dir: string;
  servers: string[];
  env: NodeJS.ProcessEnv;
  /** A client of the first server. */
  ch: ClickHouse;
  count(sql: string): Promise<number>;
  stop(): void;
}

const SCRIPT = join(ROOT, 'scripts', 'clickhouse-cluster.mjs');

export function startCluster(): Cluster {
  const dir = mkdtempSync(join(tmpdir(), 'portreport-ch-'));
  const r = spawnSync(process.execPath, [SCRIPT, 'start', dir], { encoding: 'utf8', timeout: 90_000 });
  if (r.status !== 0) throw new Error(`the cluster did not start: ${r.stderr}`);
  const c = JSON.parse(r.stdout) as { shards: { http: number }[]; user: string; password: string };
  const servers = c.shards.map((s) => `http://127.0.0.1:${s.http}`);
  const env = { ...process.env, PORTREPORT_CLICKHOUSE_USER: c.user, PORTREPORT_CLICKHOUSE_PASSWORD: c.password };
  const schema = runSidecar(['clickhouse-schema', ...servers.flatMap((s) => ['--server', s])], env);
  if (schema.status !== 0) throw new Error(`the schema was not made: ${schema.stderr}`);
  const ch = new ClickHouse(targetFrom(servers[0], 'portreport', null, env));
  return {
    dir, servers, env, ch,
    count: async (sql) => Number((await ch.rows(sql))[0][0]),
    stop: () => {
      ch.close();
      spawnSync(process.execPath, [SCRIPT, 'stop', dir], { timeout: 60_000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
