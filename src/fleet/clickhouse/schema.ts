/**
 * The fleet's tables in ClickHouse (docs/fleet.md). One table per log kind, its columns the log's
 * own (cells as the logger wrote them, formula guard included, '' for empty: the analyses read them
 * as the DuckDB engine reads the CSV), after three shipping columns: ShipHost (the host that
 * shipped the row, the sharding key), ShipFile (the log's name without .gz, so a rotated file
 * keeps its identity) and LogLine (its line in that file). The pair (ShipFile, LogLine) is what
 * makes shipping exactly-once (ship.ts). EventTime, computed by the server from the row's time,
 * partitions by day (retention drops whole days) and orders each host's rows in time.
 *
 * Each server gets <kind>_local (MergeTree) and <kind> (Distributed over the cluster, sharded by
 * sipHash64(ShipHost)): a host's rows live on one shard. Without ZooKeeper there is no ON CLUSTER:
 * the statements run on every server (schemaStatements for each).
 */
import { CONNECTION_LOG_COLUMNS, INITIAL_LOG_COLUMNS, PROCESS_LOG_COLUMNS } from '../../watch/logformat.js';
import type { OurKind } from '../../import/ourlogs.js';
import { sqlIdent } from './client.js';

export const SHIP_COLUMNS = ['ShipHost', 'ShipFile', 'LogLine'] as const;

export const TABLES: Record<OurKind, { table: string; columns: readonly string[]; time: string }> = {
  connections: { table: 'connections', columns: CONNECTION_LOG_COLUMNS, time: 'Time' },
  processes: { table: 'processes', columns: PROCESS_LOG_COLUMNS, time: 'Time' },
  initial: { table: 'snapshots', columns: INITIAL_LOG_COLUMNS, time: 'ObservedAt' },
};

/** The day and second of a row's ISO time (0 when it has none or it is not a time). */
const eventTime = (col: string) => `toDateTimeOrZero(replaceOne(substring(${sqlIdent(col)}, 1, 19), 'T', ' '))`;

export function schemaStatements(database: string, cluster: string): string[] {
  const db = sqlIdent(database);
  const out = [`CREATE DATABASE IF NOT EXISTS ${db}`];
  for (const { table, columns, time } of Object.values(TABLES)) {
    const cols = [
      '`ShipHost` String', '`ShipFile` String', '`LogLine` UInt64',
      ...columns.map((c) => `${sqlIdent(c)} String DEFAULT ''`),
      `\`EventTime\` DateTime DEFAULT ${eventTime(time)}`,
    ];
    out.push(`CREATE TABLE IF NOT EXISTS ${db}.${sqlIdent(`${table}_local`)} (${cols.join(', ')}) `
      + `ENGINE = MergeTree() PARTITION BY toYYYYMMDD(EventTime) ORDER BY (ShipHost, EventTime, ShipFile, LogLine)`);
    out.push(`CREATE TABLE IF NOT EXISTS ${db}.${sqlIdent(table)} AS ${db}.${sqlIdent(`${table}_local`)} `
      + `ENGINE = Distributed(${sqlIdent(cluster)}, ${db}, ${sqlIdent(`${table}_local`)}, sipHash64(ShipHost))`);
  }
  return out;
}

/** Columns a table has beyond those a log written before them has: ALTERs that bring an older schema up to date. */
export function upgradeStatements(database: string, have: Map<string, Set<string>>): string[] {
  const db = sqlIdent(database);
  const out: string[] = [];
  for (const { table, columns } of Object.values(TABLES)) {
    for (const t of [`${table}_local`, table]) {
      const known = have.get(t);
      if (!known) continue;
      let after = 'LogLine';
      for (const c of columns) {
        if (!known.has(c)) out.push(`ALTER TABLE ${db}.${sqlIdent(t)} ADD COLUMN ${sqlIdent(c)} String DEFAULT '' AFTER ${sqlIdent(after)}`);
        after = c;
      }
    }
  }
  return out;
}
