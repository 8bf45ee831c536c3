/**
 * Progress of long work as PR_PROGRESS diagnostics: none for work that ends within two seconds
 * (PORTREPORT_PROGRESS_AFTER_MS, for tests), then at most once a second. Target carries the
 * percentage; the module shows it with Write-Progress.
 */
import type { Diagnostic } from '../model/diagnostic.js';

export class Progress {
  private readonly started = Date.now();
  private last = this.started;
  private readonly after = Number(process.env.PORTREPORT_PROGRESS_AFTER_MS ?? 2000);

  constructor(private report: (d: Diagnostic) => void) {}

  /** Report done of total (with what it is), unless too soon; force: report anyway once past the delay. */
  update(done: number, total: number, what: string, force = false): void {
    const now = Date.now();
    if (now - this.started < this.after || (!force && now - this.last < Math.min(1000, this.after))) return;
    this.last = now;
    const pct = total ? Math.min(100, Math.floor((100 * done) / total)) : 100;
    this.report({ Level: 'progress', Code: 'PR_PROGRESS', Message: `${what} (${pct}%)`, Target: String(pct) });
  }
}
