/**
 * bench/import: a generated connections log of N rows (default 10 million). Rows per second of
 * `portreport import` to NDJSON (to /dev/null), and objects per second of Import-PortReportLog
 * against Import-Csv (the anchor) on the same rows, printed as ratios.
 * Targets: the sidecar at 1 million rows/s or more; the cmdlet at least 5x faster than Import-Csv.
 * Usage: node dist/bench/import.js [rows=10000000] [cmdletRows=200000]
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONNECTIONS_LOG } from '../src/watch/logformat.js';
import { NODE, SIDECAR, timeCommand } from './common.js';

const rows = Number(process.argv[2] ?? 10_000_000);
const cmdletRows = Number(process.argv[3] ?? 200_000);
const MODULE = fileURLToPath(new URL('../../powershell/PortReport/PortReport.psd1', import.meta.url));
const PWSH = join(homedir(), '.dotnet/tools/pwsh');

/** A realistic Close row: every column filled, like a busy server's log. */
function generate(path: string, n: number): void {
  const fd = openSync(path, 'w');
  writeSync(fd, CONNECTIONS_LOG.header);
  const base = Date.UTC(2026, 10, 1);
  let chunk = '';
  for (let i = 0; i < n; i++) {
    const t = new Date(base + i * 50).toISOString();
    const pid = 1000 + (i % 97);
    chunk += `${t},Close,TCP,IPv4,10.0.${i % 7}.${i % 250},${443 + (i % 3)},192.168.${i % 13}.${i % 199},${32768 + (i % 28000)},Closed,Established,${pid},2026-11-01T00:00:00.000Z,nginx,/usr/sbin/nginx,www-data,33,nginx.service,Known,${t},${t},12.5,${i % 100000},${i % 77777},destroy,${1000000 + i},0,web01,\n`;
    if (chunk.length > 1 << 20) { writeSync(fd, chunk); chunk = ''; }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

/** Whole-command wall time in seconds. */
const timed = (cmd: string, args: string[]) => timeCommand(cmd, args) / 1000;

const dir = mkdtempSync(join(tmpdir(), 'portreport-benchimport-'));
try {
  const big = join(dir, 'portreport-connections-v1-big.csv');
  const small = join(dir, 'portreport-connections-v1-small.csv');
  generate(big, rows);
  generate(small, cmdletRows);
  console.log(`bench/import: ${rows} rows (sidecar), ${cmdletRows} rows (cmdlet vs Import-Csv)`);
  const s = timed(NODE, [SIDECAR, 'import', big]);
  console.log(`  portreport import -> NDJSON: ${(rows / s / 1e6).toFixed(2)} M rows/s (${s.toFixed(1)} s); target >= 1 M rows/s`);
  const ps = (script: string) => timed(PWSH, ['-NoProfile', '-NonInteractive', '-Command', script]);
  // Objects are collected, not piped through a script block, so the commands' own speed is compared.
  const anchor = ps(`$r = @(Import-Csv -LiteralPath '${small}'); if ($r.Count -ne ${cmdletRows}) { exit 1 }`);
  const cmdlet = ps(`Import-Module '${MODULE}'; $r = @(Import-PortReportLog -LiteralPath '${small}'); if ($r.Count -ne ${cmdletRows}) { exit 1 }`);
  console.log(`  Import-Csv (anchor): ${(cmdletRows / anchor).toFixed(0)} objects/s; Import-PortReportLog: ${(cmdletRows / cmdlet).toFixed(0)} objects/s; ${(anchor / cmdlet).toFixed(2)}x Import-Csv's speed; target >= 5x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
