/**
 * Every query PortReport's analyses run, in one place, in the expression language of expr.ts, so
 * the streaming engine and DuckDB (and later ClickHouse) answer the same questions the same way.
 * Engines only group and count; the rules and reports (rules.ts, summary.ts) read their results.
 */
import { and, col, concat, epochMs, eq, int, isIn, isNull, lt, not, or, substr, when, type Expr } from './expr.js';

export type Measure =
  | { k: 'count' }
  | { k: 'countIf'; a: Expr }
  | { k: 'countDistinct'; a: Expr }
  | { k: 'min' | 'max'; a: Expr }
  | { k: 'set'; a: Expr }
  /** Successive differences of a (epoch ms) within each group: their count, mean and population standard deviation. */
  | { k: 'intervals'; a: Expr };

export interface Aggregation {
  name: string;
  from: 'ev' | 'pr';
  where?: Expr;
  keys: Record<string, Expr>;
  measures: Record<string, Measure>;
  /** Only groups of at least this many rows (SQL HAVING count(*) >= n). */
  minRows?: number;
}

const c = col;
const count: Measure = { k: 'count' };
const first: Measure = { k: 'min', a: c('Time') };
const last: Measure = { k: 'max', a: c('Time') };

/** Listening TCP sockets and UDP sockets without a peer. */
export const LISTENER = or(eq(c('State'), 'Listen'), and(eq(c('Protocol'), 'UDP'), or(isNull(c('RemotePort')), eq(c('RemotePort'), 0))));

/** A connection begins: opened, in a snapshot, a Port Reporter row, or opened and closed between two polls. Listeners are not connections. */
export const CONTACT = and(not(LISTENER), or(isIn(c('Event'), ['Open', 'Socket', 'Seen']), and(eq(c('Event'), 'Close'), isNull(c('FirstSeen')))));

const UNSPECIFIED = ['0.0.0.0', '::', '*', ''];
export const HAS_REMOTE = and(not(isNull(c('RemoteAddress'))), not(isIn(c('RemoteAddress'), UNSPECIFIED)));

export const HOUR_BUCKET = substr(c('Time'), 1, 13);
export const HOUR_OF_DAY = int(substr(c('Time'), 12, 2));
/**
 * Where a thing happened: the host and, on a container host, the container (its name where the
 * runtime's files gave one, else its id; null on the host itself). Every summary, rule and
 * baseline keys on both, so each container is judged against its own routine like a host.
 */
const scope = { HostName: c('HostName'), Container: c('Container') };
const localKey = concat(c('HostName'), '|', c('Container'), '|', c('Protocol'), '|', c('LocalPort'));
const remoteKey = concat(c('HostName'), '|', c('Container'), '|', c('Protocol'), '|', c('RemotePort'));

/** Phase 1: the host's (and each container's) listening ports, which tell inbound from outbound connections. */
export const LISTENERS: Aggregation = {
  name: 'listeners', from: 'ev', where: LISTENER,
  keys: { ...scope, Protocol: c('Protocol'), LocalPort: c('LocalPort') },
  measures: { Events: count },
};

export const listenerKey = (r: Record<string, unknown>): string =>
  `${r.HostName ?? ''}|${r.Container ?? ''}|${r.Protocol ?? ''}|${r.LocalPort ?? ''}`;

/**
 * Direction of a socket: Listen; Inbound when its local port is one of the host's listeners;
 * Outbound when its remote port is (a loopback client) or, failing both, when the remote port is
 * the lower one (the usual service/ephemeral split).
 */
export function direction(listeners: string[]): Expr {
  return when([
    [LISTENER, 'Listen'],
    [isIn(localKey, listeners), 'Inbound'],
    [isIn(remoteKey, listeners), 'Outbound'],
    [lt(c('LocalPort'), c('RemotePort')), 'Inbound'],
  ], 'Outbound');
}

/** The service port: the local port of listeners and inbound connections, else the remote port. Never an ephemeral port. */
export function servicePort(listeners: string[]): Expr {
  return when([[isIn(direction(listeners), ['Listen', 'Inbound']), c('LocalPort')]], c('RemotePort'));
}

/** The fewest connections a beaconing series can have (the rule's own minimum must not be lower). */
export const BEACON_MIN_ROWS = 3;

const processKeys = { ...scope, ProcessName: c('ProcessName'), ExecutablePath: c('ExecutablePath'), UserName: c('UserName') };

/** Phase 2: everything else, given the listeners found in phase 1. */
export function analysisQueries(listeners: string[]): Aggregation[] {
  const dir = direction(listeners);
  const svc = servicePort(listeners);
  return [
    {
      name: 'hosts', from: 'ev', keys: scope,
      measures: { Events: count, ActiveHours: { k: 'countDistinct', a: HOUR_BUCKET }, FirstSeen: first, LastSeen: last },
    },
    {
      name: 'ports', from: 'ev', where: isIn(dir, ['Listen', 'Inbound']),
      keys: { ...scope, Protocol: c('Protocol'), LocalPort: c('LocalPort') },
      measures: { Events: count, Connections: { k: 'countIf', a: and(CONTACT, eq(dir, 'Inbound')) }, ActiveHours: { k: 'countDistinct', a: HOUR_BUCKET },
        Processes: { k: 'set', a: c('ProcessName') }, FirstSeen: first, LastSeen: last },
    },
    {
      name: 'processes', from: 'ev', keys: processKeys,
      measures: { Events: count, Connections: { k: 'countIf', a: CONTACT }, ActiveHours: { k: 'countDistinct', a: HOUR_BUCKET },
        RemoteHosts: { k: 'countDistinct', a: when([[HAS_REMOTE, c('RemoteAddress')]], null) }, FirstSeen: first, LastSeen: last },
    },
    {
      name: 'remotes', from: 'ev', where: and(CONTACT, HAS_REMOTE),
      keys: { ...processKeys, Direction: dir, RemoteAddress: c('RemoteAddress') },
      measures: { Connections: count, ServicePorts: { k: 'set', a: svc }, FirstSeen: first, LastSeen: last },
    },
    {
      name: 'pairs', from: 'ev', keys: { ...processKeys, Direction: dir, Protocol: c('Protocol'), ServicePort: svc },
      measures: { Events: count, Connections: { k: 'countIf', a: CONTACT }, FirstSeen: first, LastSeen: last },
    },
    {
      name: 'hours', from: 'ev', where: CONTACT,
      keys: { ...scope, Protocol: c('Protocol'), Direction: dir, ServicePort: svc, Hour: HOUR_OF_DAY },
      measures: { Connections: count },
    },
    {
      // Beaconing needs a series: groups of fewer than BEACON_MIN_ROWS connections are not fetched.
      name: 'beacons', from: 'ev', where: and(CONTACT, HAS_REMOTE, eq(dir, 'Outbound')), minRows: BEACON_MIN_ROWS,
      keys: { ...processKeys, RemoteAddress: c('RemoteAddress'), RemotePort: c('RemotePort') },
      measures: { Intervals: { k: 'intervals', a: epochMs(c('Time')) }, FirstSeen: first, LastSeen: last },
    },
    {
      name: 'instances', from: 'pr',
      keys: { ...scope, ProcessId: c('ProcessId'), ProcessStartTime: c('ProcessStartTime'), ProcessName: c('ProcessName'),
        ExecutablePath: c('ExecutablePath'), UserName: c('UserName'), ServiceName: c('ServiceName'), ExecutableSha256: c('ExecutableSha256'),
        Modules: c('Modules') },
      measures: { Rows: count, FirstSeen: first, LastSeen: last },
    },
  ];
}

/** Restrict aggregations to a time range: after <= Time < before (times without an offset read as UTC). */
export function inRange(aggs: Aggregation[], after: number | null, before: number | null): Aggregation[] {
  if (after === null && before === null) return aggs;
  const t = epochMs(c('Time'));
  const conds: Expr[] = [];
  if (after !== null) conds.push(not(lt(t, after)), not(isNull(t)));
  if (before !== null) conds.push(lt(t, before));
  return aggs.map((a) => ({ ...a, where: a.where ? and(a.where, ...conds) : and(...conds) }));
}

/**
 * The connection times of chosen outbound series (the report's beacon timelines): each group's
 * times as a sorted set. The scan is cut down by the series' addresses and ports (plain column
 * tests, cheap in every engine); the caller picks its exact pairs from the groups.
 */
export function seriesTimesQuery(listeners: string[], series: { address: string; port: number }[]): Aggregation {
  return {
    name: 'seriesTimes', from: 'ev',
    where: and(isIn(c('RemotePort'), [...new Set(series.map((x) => x.port))]), isIn(c('RemoteAddress'), [...new Set(series.map((x) => x.address))]),
      CONTACT, eq(direction(listeners), 'Outbound')),
    keys: { ...processKeys, RemoteAddress: c('RemoteAddress'), RemotePort: c('RemotePort') },
    measures: { Times: { k: 'set', a: c('Time') } },
  };
}
