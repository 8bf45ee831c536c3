/**
 * The module's service cmdlets on Windows, under Wine's Service Control Manager, in the Windows
 * PowerShell host: Install-PortReporter registers and starts the Port Reporter service (the
 * service host running the logger), Get-PortReporterStatus reports it running with its log path
 * and logger pid, a second install without -Force is refused, Uninstall-PortReporter stops and
 * removes it, and the logs it wrote parse with `portreport import --strict`.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ndjson, ROOT, runSidecar } from '../../helpers/procs.js';
import { runWine, WIN_NODE, WINEPREFIX, wineReady, winPath } from '../../helpers/wine.js';

const HOST = join(ROOT, '.deps/win/pshost/PortReportHost.exe');
const SERVICE = join(ROOT, '.deps/win/service/PortReportService.exe');
const ready = wineReady() && existsSync(HOST) && existsSync(SERVICE);
if (!ready && process.env.CI) throw new Error('the Windows PowerShell host, the service host or Wine is missing: run bash scripts/setup-windows.sh');

describe.skipIf(!ready)('Install-PortReporter, Get-PortReporterStatus, Uninstall-PortReporter on Windows (under Wine)', () => {
  it('registers, runs, reports and removes the Port Reporter service', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portreport-winsvcps-'));
    try {
      const logs = join(dir, 'logs');
      const out = join(dir, 'out.txt');
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn('wine', [HOST, winPath(join(FIXTURES, 'windows', 'install-service.ps1')), winPath(out)], {
          stdio: 'ignore',
          env: { ...process.env, WINEPREFIX, WINEDEBUG: '-all', PR_MODULE: winPath(join(ROOT, 'powershell/PortReport/PortReport.psd1')), PR_LOGS: winPath(logs),
            PORTREPORT_NODE: winPath(WIN_NODE), PORTREPORT_SERVICE_HOST: winPath(SERVICE) },
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), 280_000);
        child.on('exit', (c) => { clearTimeout(timer); resolve(c); });
      });
      const errors = existsSync(`${out}.err`) ? readFileSync(`${out}.err`, 'utf8') : '';
      expect(code, errors).toBe(0);
      const lines = readFileSync(out, 'utf8').split(/\r?\n/).filter(Boolean);
      expect(lines[0]).toBe('installed:PortReporter|True|True');
      const [installed, enabled, running, logPath, pid, written] = lines[1].slice('status:'.length).split('|');
      expect([installed, enabled, running, written]).toEqual(['True', 'True', 'True', 'True']);
      expect(logPath).toBe(winPath(logs));
      expect(Number(pid)).toBeGreaterThan(0);
      expect(lines[2]).toBe('again:PortReport.AlreadyInstalled,Install-PortReporter');
      expect(lines[3]).toBe('after:False');
      const imp = runSidecar(['import', logs, '--strict']);
      expect(imp.status, imp.stderr).toBe(0);
      const recs = ndjson<{ Event: string }>(imp.stdout);
      expect(recs.filter((r) => r.Event === 'Start')).toHaveLength(1);
      expect(recs.filter((r) => r.Event === 'Stop')).toHaveLength(1);
    } finally {
      // Never leave the service behind: Wine would start it again at its next boot (automatic start).
      await runWine(['sc', 'stop', 'PortReporter'], 30_000);
      await runWine(['sc', 'delete', 'PortReporter'], 30_000);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
