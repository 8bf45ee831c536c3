/**
 * /proc/net/{tcp,tcp6,udp,udp6} parsing: the fallback when netlink sock_diag is unavailable.
 * parseProcNet() takes the file's text so tests feed literal procfs content.
 */
import { readFileSync } from 'node:fs';
import type { AddressFamily, Protocol, RawSocket } from '../../model/record.js';
import { kernelState } from '../../model/state.js';
import { formatV6 } from './inetdiag.js';

export class ProcNetParseError extends Error {
  readonly code = 'PR_PROCNET_PARSE';
  constructor(readonly file: string, readonly line: number, readonly field: string, message: string) {
    super(`${file}:${line}: ${field}: ${message}`);
  }
}

/** "0100007F:1F90" → ["127.0.0.1", 8080]; IPv6 is four host-order (little-endian) 32-bit words. */
function parseEndpoint(text: string, family: AddressFamily): [string, number] | null {
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const hex = text.slice(0, colon);
  const port = parseInt(text.slice(colon + 1), 16);
  if (!/^[0-9A-Fa-f]+$/.test(hex) || Number.isNaN(port)) return null;
  if (family === 'IPv4') {
    if (hex.length !== 8) return null;
    const n = parseInt(hex, 16);
    return [`${n & 255}.${(n >>> 8) & 255}.${(n >>> 16) & 255}.${n >>> 24}`, port];
  }
  if (hex.length !== 32) return null;
  const bytes = new Uint8Array(16);
  for (let w = 0; w < 4; w++) {
    const word = parseInt(hex.slice(w * 8, w * 8 + 8), 16);
    bytes[w * 4] = word & 255;
    bytes[w * 4 + 1] = (word >>> 8) & 255;
    bytes[w * 4 + 2] = (word >>> 16) & 255;
    bytes[w * 4 + 3] = word >>> 24;
  }
  return [formatV6(bytes), port];
}

/**
 * Parse /proc/net/tcp-style text. Bad lines are reported through onError and skipped; the rest is
 * kept. Columns: sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
 */
export function parseProcNet(text: string, protocol: Protocol, family: AddressFamily, file = `/proc/net/${protocol.toLowerCase()}${family === 'IPv6' ? '6' : ''}`,
  onError: (e: ProcNetParseError) => void = () => {}): RawSocket[] {
  const out: RawSocket[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const f = line.split(/\s+/);
    const fail = (field: string, msg: string) => onError(new ProcNetParseError(file, i + 1, field, msg));
    if (f.length < 10) { fail('line', `expected at least 10 columns, found ${f.length}`); continue; }
    const local = parseEndpoint(f[1], family);
    if (!local) { fail('local_address', `malformed endpoint "${f[1]}"`); continue; }
    const remote = parseEndpoint(f[2], family);
    if (!remote) { fail('rem_address', `malformed endpoint "${f[2]}"`); continue; }
    const st = parseInt(f[3], 16);
    if (Number.isNaN(st)) { fail('st', `malformed state "${f[3]}"`); continue; }
    const uid = Number(f[7]);
    const inode = Number(f[9]);
    if (!Number.isInteger(uid)) { fail('uid', `malformed uid "${f[7]}"`); continue; }
    if (!Number.isInteger(inode)) { fail('inode', `malformed inode "${f[9]}"`); continue; }
    out.push({
      protocol, family,
      localAddress: local[0], localPort: local[1], remoteAddress: remote[0], remotePort: remote[1],
      state: kernelState(protocol, st), uid, inode, cookie: null,
      bytesAcked: null, bytesReceived: null, source: 'procfs',
    });
  }
  return out;
}

/** Read all four tables of the calling process's network namespace. */
export function readProcNet(root = '/proc', onError?: (e: Error) => void): RawSocket[] {
  const out: RawSocket[] = [];
  for (const [name, protocol, family] of [
    ['tcp', 'TCP', 'IPv4'], ['tcp6', 'TCP', 'IPv6'], ['udp', 'UDP', 'IPv4'], ['udp6', 'UDP', 'IPv6'],
  ] as const) {
    const file = `${root}/net/${name}`;
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch (e) {
      // A kernel without IPv6 has no tcp6/udp6: that is not an error.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') onError?.(e as Error);
      continue;
    }
    for (const s of parseProcNet(text, protocol, family, file, onError)) out.push(s);
  }
  return out;
}
