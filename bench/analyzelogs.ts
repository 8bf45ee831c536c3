/** The logs bench/analyze and bench/fleet analyse: a busy month of one host, deterministic. */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CONNECTION_LOG_COLUMNS, PROCESS_LOG_COLUMNS } from '../src/watch/logformat.js';

/** A deterministic generator (xorshift) so every run analyses the same log. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 0x100000000; };
}

const PROCS = Array.from({ length: 200 }, (_, i) => ({ pid: 1000 + i, name: `svc${i}`, path: `/usr/lib/app${i % 40}/svc${i}`, user: `user${i % 25}` }));
const LISTEN_PORTS = [22, 25, 53, 80, 443, 3306, 5432, 6379, 8080, 8443];
const SERVICE_PORTS = [53, 80, 123, 443, 993, 5432, 8443, 9092];

/** Write a connections log of `rows` rows (and its processes log) in the PortReport v1 format. */
export function generate(dir: string, name: string, rows: number, seed: number, host = 'bench01'): string[] {
  const r = rng(seed);
  const conns = join(dir, `portreport-connections-v1-${name}.csv`);
  const fd = openSync(conns, 'w', 0o600);
  writeSync(fd, CONNECTION_LOG_COLUMNS.join(',') + '\n');
  const t0 = Date.parse('2026-10-01T00:00:00Z');
  const step = (30 * 86400 * 1000) / rows;
  // Rows are written up to Message; the columns added after it (namespace, container) are empty.
  const tail = ','.repeat(CONNECTION_LOG_COLUMNS.length - 1 - CONNECTION_LOG_COLUMNS.indexOf('Message'));
  let chunk = '';
  for (let i = 0; i < LISTEN_PORTS.length; i++) {
    const p = PROCS[i];
    chunk += `${new Date(t0).toISOString()},Open,TCP,IPv4,0.0.0.0,${LISTEN_PORTS[i]},0.0.0.0,0,Listen,,${p.pid},2026-09-30T00:00:00.000Z,${p.name},${p.path},${p.user},0,,Known,,,,,,poll,1,1,${host},${tail}\n`;
  }
  for (let i = 0; i < rows; i++) {
    const t = new Date(t0 + i * step).toISOString();
    const inbound = r() < 0.5;
    const li = Math.floor(r() * LISTEN_PORTS.length);
    const p = inbound ? PROCS[li] : PROCS[10 + Math.floor(r() * 190)];
    // Inbound: clients from a pool of 20,000; outbound: each process's three servers, and rarely anywhere.
    const c = Math.floor(r() * 20000);
    const remote = inbound ? `10.${c % 8}.${(c >> 3) % 250}.${(c % 200) + 1}`
      : r() < 0.999 ? `10.200.${p.pid % 50}.${1 + Math.floor(r() * 3)}` : `172.16.${Math.floor(r() * 250)}.${Math.floor(r() * 250) + 1}`;
    const eph = 32768 + Math.floor(r() * 28000);
    const lp = inbound ? LISTEN_PORTS[li] : eph;
    const rp = inbound ? eph : SERVICE_PORTS[Math.floor(r() * SERVICE_PORTS.length)];
    const ev = r();
    const event = ev < 0.45 ? 'Open' : ev < 0.9 ? 'Close' : 'StateChange';
    const first = event === 'Close' && ev < 0.7 ? t : '';
    const state = event === 'Close' ? 'Close' : event === 'Open' ? 'Established' : 'CloseWait';
    chunk += `${t},${event},TCP,IPv4,10.9.0.1,${lp},${remote},${rp},${state},,${p.pid},2026-09-30T00:00:00.000Z,${p.name},${p.path},${p.user},0,,Known,${first},,,,,poll,${i},${i},${host},${tail}\n`;
    if (chunk.length > 1 << 20) { writeSync(fd, chunk); chunk = ''; }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  const procs = join(dir, `portreport-processes-v1-${name}.csv`);
  writeFileSync(procs, PROCESS_LOG_COLUMNS.join(',') + '\n' + PROCS.map((p) =>
    `2026-10-01T00:00:00.000Z,Seen,${p.pid},2026-09-30T00:00:00.000Z,${p.name},${p.path},${p.path},1,${p.user},0,,False,${'a'.repeat(64)},"[""${p.path}"",""/usr/lib/libc.so.6""]",/,${host},${','.repeat(PROCESS_LOG_COLUMNS.length - 1 - PROCESS_LOG_COLUMNS.indexOf('Message'))}`).join('\n') + '\n', { mode: 0o600 });
  return [conns, procs];
}

