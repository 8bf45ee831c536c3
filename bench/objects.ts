/**
 * bench/objects: a snapshot as PowerShell objects in a warm pwsh, the path module users take.
 * `@(Get-PortReport)` against `@(& ss -tanp)` (the anchor: its lines captured as strings) in the
 * same pwsh process, with 20,000 established loopback connections held by several processes.
 * One pwsh runs every round (the module loaded and one call of each made first, so neither
 * measures start-up); prints medians, the ratio and the object counts.
 * Target: @(Get-PortReport) at most 1.0x of @(& ss -tanp).
 * Usage: node dist/bench/objects.js [connections=20000] [processes=4] [rounds=7]
 */
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIDECAR, startHolders, stopHolders } from './common.js';

const conns = Number(process.argv[2] ?? 20000);
const procs = Number(process.argv[3] ?? 4);
const rounds = Number(process.argv[4] ?? 7);
const MODULE = fileURLToPath(new URL('../../powershell/PortReport/PortReport.psd1', import.meta.url));
const PWSH = join(homedir(), '.dotnet/tools/pwsh');

// Each round times both, alternating, so drift on a shared machine hits both alike.
const script = `
$ErrorActionPreference = 'Stop'
Import-Module '${MODULE.replace(/'/g, "''")}'
$null = @(Get-PortReport -Protocol TCP); $null = @(& ss -tanp)
$sw = [System.Diagnostics.Stopwatch]::new()
$psi = [System.Diagnostics.ProcessStartInfo]::new('${process.execPath}')
foreach ($x in '${SIDECAR}', 'snapshot', '--protocol', 'tcp', '--format', 'packed', '--contract', '2') { $psi.ArgumentList.Add($x) }
$psi.RedirectStandardOutput = $true
foreach ($i in 1..${rounds}) {
  $sw.Restart(); $a = @(& ss -tanp); $ta = $sw.Elapsed.TotalMilliseconds
  $sw.Restart(); $b = @(Get-PortReport -Protocol TCP); $tb = $sw.Elapsed.TotalMilliseconds
  # The breakdown: the sidecar alone, its packed output read to the end through .NET's pipe.
  $sw.Restart(); $p = [System.Diagnostics.Process]::Start($psi); $null = $p.StandardOutput.ReadToEnd(); $p.WaitForExit(); $tc = $sw.Elapsed.TotalMilliseconds
  "round $ta $($a.Count) $tb $($b.Count) $tc"
}`;

const kids = await startHolders(procs, Math.ceil(conns / procs));
try {
  const r = spawnSync(PWSH, ['-NoProfile', '-NonInteractive', '-Command', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`pwsh failed (${r.status}): ${r.stderr}`);
  const rows = r.stdout.split('\n').filter((l) => l.startsWith('round ')).map((l) => l.split(' ').slice(1).map(Number));
  const med = (i: number) => { const s = rows.map((x) => x[i]).sort((a, b) => a - b); return s[s.length >> 1]; };
  const ss = med(0);
  const gp = med(2);
  console.log(`bench/objects: ${conns} loopback connections in ${procs} processes, ${rows.length} rounds in one warm pwsh (medians)`);
  console.log(`  @(& ss -tanp) (anchor)         ${ss.toFixed(0).padStart(6)} ms   ${med(1)} lines`);
  console.log(`  @(Get-PortReport -Protocol TCP) ${gp.toFixed(0).padStart(6)} ms   ${med(3)} objects   ${(gp / ss).toFixed(2)}x of ss; target <= 1.00x`);
  console.log(`  breakdown: the sidecar alone (packed, read through .NET's pipe) ${med(4).toFixed(0)} ms, ${(med(4) / ss).toFixed(2)}x of ss; the module's conversion and pipeline the rest`);
} finally {
  await stopHolders(kids);
}
