/** Terminal table output: escape sequences and control characters made visible, never sent raw. */
import type { ConnectionRecord } from '../model/record.js';
import { terminalSafe } from '../util/display.js';
import type { Sink } from './sink.js';

const TABLE: [string, (r: ConnectionRecord) => string][] = [
  ['Proto', (r) => r.Protocol],
  ['Local Address', (r) => endpoint(r.LocalAddress, r.LocalPort)],
  ['Remote Address', (r) => endpoint(r.RemoteAddress, r.RemotePort)],
  ['State', (r) => r.State],
  ['PID', (r) => (r.ProcessId === null ? '-' : String(r.ProcessId))],
  ['Process', (r) => r.ProcessName ?? `(${r.OwnerStatus})`],
  ['User', (r) => r.UserName ?? r.UserId ?? ''],
  ['Service', (r) => r.ServiceName ?? ''],
];

function endpoint(a: string, p: number): string {
  return a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`;
}

/** A human table, sorted by protocol, local port and address; nothing in it reaches the terminal raw. */
export function writeTable(records: ConnectionRecord[], out: Sink): void {
  const sorted = [...records].sort((a, b) => a.Protocol.localeCompare(b.Protocol) || a.LocalPort - b.LocalPort
    || a.LocalAddress.localeCompare(b.LocalAddress) || a.RemotePort - b.RemotePort);
  out(textTable(TABLE.map(([h]) => h), sorted.map((r) => TABLE.map(([, f]) => terminalSafe(f(r)))), 40));
}

/** Cells (already terminal-safe) as aligned columns under a header and a rule; longer cells are cut with '…'. */
export function textTable(headers: string[], rows: string[][], maxWidth: number): string {
  const widths = headers.map((h, i) => Math.min(maxWidth, Math.max(h.length, ...rows.map((row) => row[i].length))));
  const fmt = (cells: string[]) => cells.map((c, i) => (c.length > widths[i] ? c.slice(0, widths[i] - 1) + '…' : c.padEnd(widths[i]))).join('  ').trimEnd();
  let text = fmt(headers) + '\n' + fmt(widths.map((w) => '-'.repeat(w))) + '\n';
  for (const row of rows) text += fmt(row) + '\n';
  return text;
}
