/**
 * Progress of long work as PR_PROGRESS diagnostics: none for work that ends within two seconds
 * (PORTREPORT_PROGRESS_AFTER_MS, for tests), then at most once a second. Target carries the
 * percentage; the module shows it with Write-Progress.
 */
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../model/diagnostic.js';

export class Progress {
  private readonly started = Date.now();
  private last = this.started;
  private readonly after = Number(process.env.PORTREPORT_PROGRESS_AFTER_MS ?? 2000);

  constructor(private report: (d: Diagnostic) => void, private activity: string) {}

  /** Report done of total (with what it is), unless too soon; force: report anyway once past the delay. */
  update(done: number, total: number, what: string, force = false): void {
    const now = Date.now();
    if (now - this.started < this.after || (!force && now - this.last < Math.min(1000, this.after))) return;
    this.last = now;
    const pct = total ? Math.min(100, Math.floor((100 * done) / total)) : 100;
    this.report({ Level: 'progress', Code: 'PR_PROGRESS', Activity: this.activity, Message: `${what} (${pct}%)`, Target: String(pct) });
  }
}

/** A byte count as people read it: 512 bytes, 3.4 KB, 213.1 MB, 1.2 GB (powers of 1024, as Windows shows sizes). */
export function sizeText(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v.toFixed(1)} ${units[u]}`;
}

/**
 * This process's peak resident memory in MB: VmHWM on Linux (getrusage's maxrss also counts the
 * parent's memory at fork time, since it survives exec), else maxRSS.
 */
export function peakMemoryMb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'latin1'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch { /* not Linux */ }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
