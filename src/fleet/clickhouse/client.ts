/**
 * ClickHouse over its HTTP interface (docs/fleet.md): one small client, node:http only, for the
 * version Debian packages (18.16) and later. The password never travels on a command line: it comes
 * from PORTREPORT_CLICKHOUSE_PASSWORD (the module sets it from a PSCredential for its child only),
 * and a URL with user:password@ is refused. Every value inlined into SQL goes through sqlText()
 * (18.16 has no query parameters).
 */
import { Agent, request, type IncomingMessage } from 'node:http';
import { quoted } from '../../util/display.js';

export const PASSWORD_ENV = 'PORTREPORT_CLICKHOUSE_PASSWORD';
export const USER_ENV = 'PORTREPORT_CLICKHOUSE_USER';

export interface ClickHouseTarget {
  /** http://host:port of one server (any server of the cluster takes queries and inserts). */
  url: URL;
  user: string;
  password: string;
  database: string;
}

export class ClickHouseError extends Error {
  readonly code = 'PR_CLICKHOUSE';
  /** serverCode: ClickHouse's own error code where it gave one; transient: worth retrying (the server is down or busy). */
  constructor(readonly serverCode: number | null, readonly transient: boolean, message: string) {
    super(message);
  }
}

/** A ClickHouse string literal: backslash and quote escaped, raw bytes (as latin1 chars) kept. */
export function sqlText(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/\0/g, '\\0')}'`;
}

/** An identifier as ClickHouse quotes it (backticks), refused when it could not be one of ours. */
export function sqlIdent(s: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(s)) throw new ClickHouseError(null, false, `${quoted(s)} is not a database or table name (letters, digits and _)`);
  return `\`${s}\``;
}

/** The target from a URL and the environment; throws for a URL that carries a password. */
export function targetFrom(url: string, database: string, user: string | null, env: NodeJS.ProcessEnv = process.env): ClickHouseTarget {
  let u: URL;
  try { u = new URL(url); } catch { throw new ClickHouseError(null, false, `${quoted(url)} is not a URL (http://host:8123)`); }
  if (u.protocol !== 'http:') throw new ClickHouseError(null, false, `${quoted(url)}: only http:// is spoken (put TLS in front with a proxy, or use a tunnel)`);
  if (u.password) throw new ClickHouseError(null, false, `the server URL holds a password: give it in ${PASSWORD_ENV} (or -Credential), never on a command line, where process listings and logs show it`);
  sqlIdent(database);
  return { url: new URL(`${u.protocol}//${u.host}/`), user: user ?? (u.username ? decodeURIComponent(u.username) : env[USER_ENV] ?? 'default'), password: env[PASSWORD_ENV] ?? '', database };
}

const MAX_ERROR_TEXT = 2000;

export class ClickHouse {
  private agent = new Agent({ keepAlive: true, maxSockets: 4 });

  constructor(readonly target: ClickHouseTarget, private timeoutMs = 120_000) {}

  /** Run one statement; body (an INSERT's data) is sent as the request body, the statement in the URL. Returns the response text. */
  query(sql: string, body?: Buffer | Buffer[], settings: Record<string, string | number> = {}): Promise<string> {
    // Statements name their database themselves (the schema's CREATE DATABASE runs before it exists).
    const params = new URLSearchParams({ ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)])) });
    const chunks = body === undefined ? [Buffer.from(sql)] : Array.isArray(body) ? body : [body];
    if (body !== undefined) params.set('query', sql);
    const length = chunks.reduce((n, c) => n + c.length, 0);
    return new Promise((resolve, reject) => {
      const req = request({
        host: this.target.url.hostname, port: this.target.url.port || 8123, path: `/?${params}`, method: 'POST', agent: this.agent,
        headers: { 'Content-Length': length, Authorization: `Basic ${Buffer.from(`${this.target.user}:${this.target.password}`).toString('base64')}` },
      }, (res: IncomingMessage) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('error', (e) => reject(new ClickHouseError(null, true, `the response broke off: ${e.message}`)));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('latin1');
          if (res.statusCode === 200) { resolve(text); return; }
          const code = /Code: (\d+)/.exec(text);
          // Busy or unreachable (the callers add the codes a shard's failure gives): worth retrying.
          const n = code ? Number(code[1]) : null;
          const transient = res.statusCode === 503 || n === 159 || n === 202 || n === 209 || n === 210;
          reject(new ClickHouseError(n, transient, `ClickHouse ${this.target.url.host} answered ${res.statusCode}: ${text.trim().slice(0, MAX_ERROR_TEXT)}`));
        });
      });
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`no answer in ${this.timeoutMs / 1000} s`)));
      req.on('error', (e) => reject(new ClickHouseError(null, true, `cannot reach ClickHouse at ${this.target.url.host}: ${e.message}`)));
      for (const c of chunks) req.write(c);
      req.end();
    });
  }

  /** Rows of a SELECT as arrays of text cells (TabSeparated, unescaped; null for \N). */
  async rows(sql: string): Promise<(string | null)[][]> {
    const text = await this.query(`${sql} FORMAT TabSeparated`);
    return text.split('\n').filter((l) => l !== '').map((l) => l.split('\t').map(unescapeTsv));
  }

  close(): void {
    this.agent.destroy();
  }
}

const TSV_ESCAPES: Record<string, string> = { b: '\b', f: '\f', r: '\r', n: '\n', t: '\t', 0: '\0', "'": "'", '\\': '\\' };

/** A TabSeparated cell as its text, or null for \N. */
export function unescapeTsv(cell: string): string | null {
  if (cell === '\\N') return null;
  return cell.indexOf('\\') < 0 ? cell : cell.replace(/\\(.)/g, (_m, c: string) => TSV_ESCAPES[c] ?? c);
}
