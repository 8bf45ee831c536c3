/**
 * The module's Windows path under Wine: a self-contained Windows PowerShell host
 * (test/fixtures/windows/pshost, Microsoft.PowerShell.SDK; the console pwsh.exe does not run under
 * Wine) imports the module, runs Get-PortReport, and gets PortReport.Connection objects for a
 * Windows process's own sockets from the Windows sidecar (node.exe, found by absolute path).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { FIXTURES, ROOT } from '../../helpers/procs.js';
import { startOwnSockets, WIN_NODE, WINEPREFIX, wineReady, winPath, type OwnSockets } from '../../helpers/wine.js';

const HOST = join(ROOT, '.deps/win/pshost/PortReportHost.exe');
const ready = wineReady() && existsSync(HOST);
if (!ready && process.env.CI) throw new Error('the Windows PowerShell host or Wine is missing: run bash scripts/setup-windows.sh');
const dir = mkdtempSync(join(tmpdir(), 'portreport-winps-'));
let server: net.Server;
let win: ChildProcess | null = null;
let own: OwnSockets | null = null;

beforeAll(async () => {
  if (!ready) return;
  server = net.createServer((c) => c.on('error', () => {}));
  await new Promise<void>((r) => server.listen(0, '::', () => r()));
  ({ child: win, own } = await startOwnSockets((server.address() as net.AddressInfo).port, dir));
}, 90_000);

afterAll(() => {
  win?.kill('SIGKILL');
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Run the host with the fixture script; its output lines. */
function runHost(): Promise<{ status: number | null; lines: string[]; errors: string }> {
  const out = join(dir, 'out.txt');
  return new Promise((resolve) => {
    const child = spawn('wine', [HOST, winPath(join(FIXTURES, 'windows', 'get-portreport.ps1')), winPath(out)], {
      stdio: 'ignore',
      env: { ...process.env, WINEPREFIX, WINEDEBUG: '-all', PR_MODULE: winPath(join(ROOT, 'powershell/PortReport/PortReport.psd1')), PR_PID: String(own!.pid), PORTREPORT_NODE: winPath(WIN_NODE) },
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('exit', (status) => {
      clearTimeout(timer);
      const read = (f: string) => { try { return readFileSync(f, 'utf8'); } catch { return ''; } };
      resolve({ status, lines: read(out).split(/\r?\n/).filter(Boolean), errors: read(`${out}.err`) });
    });
  });
}

describe.skipIf(!ready)('the PortReport module on Windows (under Wine)', () => {
  it('imports, runs Get-PortReport, and gets PortReport.Connection objects of the Windows process from the Windows sidecar', async () => {
    const o = own!;
    // Wine fills a client socket's pid about 1.5 s after the connect: ask again until both have it.
    let got: string[] = [];
    let last = { status: null as number | null, lines: [] as string[], errors: '' };
    for (let i = 0; i < 10 && got.length < 2; i++) {
      if (i) await new Promise((r) => setTimeout(r, 1000));
      last = await runHost();
      got = last.lines.filter((l) => l.startsWith('conn:') && (l.includes(`|TCP|${o.tcp4}|`) || l.includes(`|UDP|${o.udp}|`)));
    }
    expect(last.status, last.errors).toBe(0);
    expect(last.lines[0]).toBe(`module:${winPath(join(ROOT, 'powershell/PortReport'))}`);
    expect(got, last.lines.join('\n')).toHaveLength(2);
    for (const l of got) {
      const [type, , , owning, name, path, user, platform] = l.slice(5).split('|');
      expect(type).toBe('PortReport.Connection');
      expect(Number(owning)).toBe(o.pid);
      expect(name).toBe('node');
      expect(path).toMatch(/\\node\.exe$/i);
      expect(user).toMatch(/\\/);
      expect(platform).toBe('Windows');
    }
    // Only that process's sockets came back (the filter ran in the sidecar).
    expect(last.lines.filter((l) => l.startsWith('conn:')).every((l) => l.split('|')[3] === String(o.pid))).toBe(true);
  }, 180_000);
});
