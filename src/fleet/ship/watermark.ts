/**
 * What the cluster holds of a host's files (the shipper's watermarks: the highest LogLine per
 * file), and patience while it does not answer: retries with a doubling back-off, said once per
 * outage (PR_SHIP_WAITING, with what is pending) and when it is over (PR_SHIP_RESUMED).
 */
import type { Diagnostic } from '../../model/diagnostic.js';
import { ClickHouse, ClickHouseError, sqlIdent, sqlText } from '../clickhouse/client.js';
import { TABLES } from '../clickhouse/schema.js';

/** ClickHouse's codes for a network or shard failure (the outcome of an INSERT is then unknown). */
const TRANSIENT = new Set([3, 159, 202, 209, 210, 252, 279, 394]);

export const isTransient = (e: unknown): e is ClickHouseError => e instanceof ClickHouseError && (e.transient || TRANSIENT.has(e.serverCode ?? -1));

/** Every file of the host the cluster holds rows of, with its highest line. */
export async function serverWatermarks(ch: ClickHouse, host: string): Promise<Map<string, number>> {
  const db = sqlIdent(ch.target.database);
  const parts = Object.values(TABLES).map((t) => `SELECT ShipFile, max(LogLine) AS m FROM ${db}.${sqlIdent(t.table)} WHERE ShipHost = ${sqlText(host)} GROUP BY ShipFile`);
  const rows = await ch.rows(parts.join(' UNION ALL '));
  const m = new Map<string, number>();
  for (const [f, n] of rows) if (f !== null) m.set(f, Math.max(m.get(f) ?? 0, Number(n)));
  return m;
}

/** The highest line of one file the cluster holds (0: none). */
export async function fileWatermark(ch: ClickHouse, host: string, table: string, file: string): Promise<number> {
  const rows = await ch.rows(`SELECT max(LogLine) FROM ${sqlIdent(ch.target.database)}.${sqlIdent(table)} WHERE ShipHost = ${sqlText(host)} AND ShipFile = ${sqlText(file)}`);
  return Number(rows[0]?.[0] ?? 0);
}

export class Patience {
  private waiting = false;

  /** pending: the rows read and not yet sent (every file's batch being filled). */
  constructor(private server: string, private maxBackoffMs: number, private report: (d: Diagnostic) => void, private stopping: () => boolean, private pending: () => number) {}

  /** Run fn until it succeeds, backing off while the server is down; other errors go up. */
  async retrying<T>(fn: () => Promise<T>, what: string): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const v = await fn();
        this.recovered();
        return v;
      } catch (e) {
        if (!isTransient(e)) throw e;
        if (this.stopping()) throw new Error(`stopped while ${what}`);
        await this.backoff(attempt, e, 0, ` (${what})`);
      }
    }
  }

  /** sending: the rows of the batch that failed; where: which file and line. */
  async backoff(attempt: number, e: ClickHouseError, sending: number, where: string): Promise<void> {
    const ms = Math.min(this.maxBackoffMs, 1000 * 2 ** attempt);
    if (!this.waiting || attempt % 5 === 0) {
      this.report({ Level: 'warning', Code: 'PR_SHIP_WAITING', Message: `${e.message}; ${sending + this.pending()} rows pending${where}; trying again in ${ms / 1000} s`, Target: this.server });
    }
    this.waiting = true;
    await this.sleep(ms);
  }

  recovered(): void {
    if (!this.waiting) return;
    this.waiting = false;
    this.report({ Level: 'information', Code: 'PR_SHIP_RESUMED', Message: `ClickHouse at ${this.server} answers again; shipping goes on`, Target: this.server });
  }

  /** Sleep, cut short when the shipper is stopped. */
  sleep(ms: number): Promise<void> {
    return new Promise((r) => {
      const t = setTimeout(r, ms);
      const tick = setInterval(() => { if (this.stopping()) { clearTimeout(t); clearInterval(tick); r(); } }, 100);
      setTimeout(() => clearInterval(tick), ms + 10);
    });
  }
}
