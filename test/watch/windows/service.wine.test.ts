/**
 * The logger as a real Windows service, under Wine's own Service Control Manager: created with
 * sc.exe to run PortReportService.exe (powershell/dotnet/PortReport.ServiceHost), started, it writes
 * an initial log and a connections log that holds a loopback connection this test opened and
 * closed; stopped through the SCM, the logger ends cleanly (a Stop row, files compressed) and every
 * file parses with `portreport import --strict`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ndjson, ROOT, runSidecar, SIDECAR } from '../../helpers/procs.js';
import { runWine, WIN_NODE, wineReady, winPath } from '../../helpers/wine.js';
import { readLogs } from '../../helpers/watch.js';

const HOST = join(ROOT, '.deps/win/service/PortReportService.exe');
const ready = wineReady() && existsSync(HOST);
if (!ready && process.env.CI) throw new Error('the Windows service host or Wine is missing: run bash scripts/setup-windows.sh');
const dir = mkdtempSync(join(tmpdir(), 'portreport-winsvc-'));
const NAME = `PortReportTest${process.pid}`;
afterAll(async () => {
  if (ready) { await runWine(['sc', 'stop', NAME]); await runWine(['sc', 'delete', NAME]); }
  rmSync(dir, { recursive: true, force: true });
});

const state = async () => /STATE\s*:\s*\d+\s+(\w+)/.exec((await runWine(['sc', 'query', NAME])).stdout)?.[1] ?? null;
const until = async (want: string, ms: number) => {
  const end = Date.now() + ms;
  let s = await state();
  while (s !== want && Date.now() < end) { await new Promise((r) => setTimeout(r, 300)); s = await state(); }
  return s;
};

/** Whether the running connections log has the connection's `event` row, polled until `ms` pass (a row still being written is read next time). */
const logged = async (logs: string, port: number, local: number, event: string, ms: number) => {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (readLogs(logs, 'connections').some(({ rows }) => rows.some((r) => r.Event === event && r.LocalPort === String(port) && r.RemotePort === String(local)))) return true;
    } catch { /* the last row is half written: read again */ }
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 300));
  }
};

describe.skipIf(!ready)('Port Reporter as a Windows service (under Wine)', () => {
  it('is created, started, logs a loopback connection, is stopped through the SCM, and its logs parse strictly', async () => {
    const logs = join(dir, 'logs');
    const bin = `"${winPath(HOST)}" "${winPath(WIN_NODE)}" "${winPath(SIDECAR)}" --log-path=${winPath(logs)} --interval=0.3 --no-hash`;
    const created = await runWine(['sc', 'create', NAME, 'binPath=', bin]);
    expect(created.stdout + created.stderr).toMatch(/Success|SUCCESS|^\s*$/);
    await runWine(['sc', 'start', NAME]);
    expect(await until('RUNNING', 30_000)).toBe('RUNNING');
    // Its initial log, then polls: a loopback connection held over several polls, then closed.
    const end = Date.now() + 150_000;
    while (!(existsSync(logs) && readdirSync(logs).some((f) => f.startsWith('portreport-connections-'))) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    const server = net.createServer((s) => s.on('error', () => {}));
    await new Promise<void>((r) => server.listen(0, '::', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    const client = await new Promise<net.Socket>((r) => { const c = net.connect(port, '127.0.0.1', () => r(c)); });
    const local = client.localPort!;
    // Held until the service's log has its Open row, then closed until it has the Close row: Wine's
    // node polls at its own pace on a loaded machine, so the test waits for what it asserts.
    expect(await logged(logs, port, local, 'Open', 90_000)).toBe(true);
    client.destroy();
    expect(await logged(logs, port, local, 'Close', 90_000)).toBe(true);
    await runWine(['sc', 'stop', NAME]);
    expect(await until('STOPPED', 40_000)).toBe('STOPPED');
    server.close();
    const files = readdirSync(logs).filter((f) => f !== 'portreport.lock');
    expect(files.every((f) => f.endsWith('.csv.gz')), files.join(' ')).toBe(true);
    const imp = runSidecar(['import', logs, '--strict']);
    expect(imp.status, imp.stderr).toBe(0);
    const recs = ndjson<{ RecordType: string; Event: string; LocalPort: number | null; RemotePort: number | null; Message: string | null }>(imp.stdout);
    expect(recs.filter((x) => x.LocalPort === port && x.RemotePort === local).map((x) => x.Event)).toEqual(['Open', 'Close']);
    const stop = recs.filter((x) => x.Event === 'Stop');
    expect(stop).toHaveLength(1);
    expect(stop[0].Message).toMatch(/stdin closed/);
  }, 300_000);
});
