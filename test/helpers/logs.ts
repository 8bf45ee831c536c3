/** Logs built for a purpose: PortReport v1 connections and processes logs written by the real row writer. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONN_TEXT, CONNECTION_LOG_COLUMNS, csvRows, INITIAL_LOG, INITIAL_LOG_COLUMNS, initialRow, PROC_TEXT, PROCESS_LOG_COLUMNS, type Cell } from '../../src/watch/logformat.js';

export type Conn = Partial<Record<(typeof CONNECTION_LOG_COLUMNS)[number], Cell>>;
export type Proc = Partial<Record<(typeof PROCESS_LOG_COLUMNS)[number], Cell>>;

const START = Date.parse('2026-11-02T00:00:00Z');
export const at = (seconds: number): string => new Date(START + seconds * 1000).toISOString();

function write(path: string, columns: readonly string[], text: readonly string[], rows: Record<string, Cell | undefined>[], gzip: boolean): string {
  const header = Buffer.from(columns.join(',') + '\n');
  const body = csvRows(rows.map((r) => columns.map((c) => r[c] ?? null)), columns.map((c) => text.includes(c)));
  const bytes = Buffer.concat([header, body]);
  writeFileSync(path, gzip ? gzipSync(bytes) : bytes);
  return path;
}

export function writeConnections(dir: string, name: string, rows: Conn[], gzip = false): string {
  return write(join(dir, `portreport-connections-v1-${name}.csv${gzip ? '.gz' : ''}`), CONNECTION_LOG_COLUMNS, CONN_TEXT, rows, gzip);
}

export function writeProcesses(dir: string, name: string, rows: Proc[], gzip = false): string {
  return write(join(dir, `portreport-processes-v1-${name}.csv${gzip ? '.gz' : ''}`), PROCESS_LOG_COLUMNS, PROC_TEXT, rows, gzip);
}

/** One raw connections-log line (no quoting), its cells by column name, the rest empty: for rows the writer would not write. */
export const rawConnectionLine = (cells: Record<string, string | number>): string => CONNECTION_LOG_COLUMNS.map((c) => cells[c] ?? '').join(',');

export const HOST = 'web01';

/** A process's identity in rows. */
export interface Who { pid: number; name: string; path: string; user: string; service?: string }
export const NGINX: Who = { pid: 900, name: 'nginx', path: '/usr/sbin/nginx', user: 'www-data', service: 'nginx.service' };
export const SSHD: Who = { pid: 700, name: 'sshd', path: '/usr/sbin/sshd', user: 'root', service: 'ssh.service' };
export const CURL: Who = { pid: 1500, name: 'curl', path: '/usr/bin/curl', user: 'alice' };

const who = (w: Who) => ({ ProcessId: w.pid, ProcessStartTime: at(0), ProcessName: w.name, ExecutablePath: w.path, UserName: w.user, ServiceName: w.service ?? null, HostName: HOST });

export function listen(t: number, w: Who, port: number): Conn {
  return { Time: at(t), Event: 'Open', Protocol: 'TCP', AddressFamily: 'IPv4', LocalAddress: '0.0.0.0', LocalPort: port, RemoteAddress: '0.0.0.0', RemotePort: 0, State: 'Listen', OwnerStatus: 'Known', Source: 'poll', ...who(w) };
}

/** An inbound connection to a listener (opened and closed between polls). */
export function inbound(t: number, w: Who, port: number, from: string, ephemeral: number): Conn {
  return { Time: at(t), Event: 'Close', Protocol: 'TCP', AddressFamily: 'IPv4', LocalAddress: '10.0.0.5', LocalPort: port, RemoteAddress: from, RemotePort: ephemeral, State: 'Close', OwnerStatus: 'Inferred', Source: 'destroy', ...who(w) };
}

/** An outbound connection seen open by a poll. */
export function outbound(t: number, w: Who, to: string, port: number, ephemeral: number): Conn {
  return { Time: at(t), Event: 'Open', Protocol: 'TCP', AddressFamily: 'IPv4', LocalAddress: '10.0.0.5', LocalPort: ephemeral, RemoteAddress: to, RemotePort: port, State: 'Established', OwnerStatus: 'Known', Source: 'poll', ...who(w) };
}

export function seen(t: number, w: Who, modules: string[] = [], sha = 'a'.repeat(64)): Proc {
  return { Time: at(t), Event: 'Seen', CommandLine: w.path, ParentProcessId: 1, UserId: '0', IsService: !!w.service, ExecutableSha256: sha, Modules: JSON.stringify(modules), ...who(w) };
}

/** A routine day on web01: nginx and sshd listen and serve, curl fetches updates. */
export function routine(hours = 24): { conns: Conn[]; procs: Proc[] } {
  const conns: Conn[] = [listen(1, NGINX, 443), listen(1, SSHD, 22)];
  let eph = 40000;
  for (let h = 0; h < hours; h++) {
    for (let i = 0; i < 20; i++) conns.push(inbound(h * 3600 + 60 + i * 170, NGINX, 443, `198.51.100.${(i % 7) + 1}`, eph++));
    conns.push(inbound(h * 3600 + 1800, SSHD, 22, '192.0.2.10', eph++));
    conns.push(outbound(h * 3600 + ((h * 7919) % 3000), CURL, '203.0.113.80', 443, eph++)); // irregular: not a beacon
  }
  const procs = [seen(0, NGINX, ['/usr/lib/x86_64-linux-gnu/libssl.so.3']), seen(0, SSHD, ['/usr/lib/x86_64-linux-gnu/libcrypto.so.3']), seen(0, CURL, ['/usr/lib/x86_64-linux-gnu/libcurl.so.4'])];
  return { conns, procs };
}

/** An initial-snapshot log (the columns of `portreport snapshot --format csv`) written by the real row writer. */
export function writeInitial(dir: string, name: string, records: import('../../src/model/record.js').ConnectionRecord[]): string {
  const path = join(dir, `portreport-initial-v1-${name}.csv`);
  const header = Buffer.from(INITIAL_LOG_COLUMNS.join(',') + '\n');
  writeFileSync(path, Buffer.concat([header, csvRows(records.map(initialRow), INITIAL_LOG.text)]));
  return path;
}
