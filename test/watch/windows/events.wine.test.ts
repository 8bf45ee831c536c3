/**
 * The Windows logger's event source, under Wine (which has no kernel ETW providers): the bridge's
 * loopback stand-in makes one real connection to a listener of this test and reports it as its
 * Kernel-Network connect and disconnect events; the logger, polling only every 30 s, logs its Open
 * and Close from those events, with the owner of the event's pid, and the files parse strictly.
 */
import { afterAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ndjson, ROOT, runSidecar, SIDECAR } from '../../helpers/procs.js';
import { runWindowsNode, wineReady, winPath } from '../../helpers/wine.js';

const WIN = join(ROOT, '.deps/win');
const ready = wineReady() && existsSync(join(WIN, 'edge-bootstrap', 'bootstrap.dll')) && existsSync(join(WIN, 'bridge', 'PortReport.Bridge.dll'));
if (!ready && process.env.CI) throw new Error('Wine, edge-js or PortReport.Bridge is missing: run bash scripts/setup-windows.sh');
const dir = mkdtempSync(join(tmpdir(), 'portreport-winevents-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!ready)('events between polls on Windows (under Wine, loopback stand-in)', () => {
  it('logs the Open and Close of a connection no poll saw, owned by the event\'s pid', async () => {
    const accepted: number[] = [];
    const server = net.createServer((s) => { accepted.push(s.remotePort!); s.on('error', () => {}); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    const logs = join(dir, 'logs');
    const r = await runWindowsNode([winPath(SIDECAR), 'watch', `--log-path=${winPath(logs)}`, '--interval=30', '--duration=20', '--no-hash',
      `--event-source=loopback:${port}`, `--bridge=${winPath(WIN)}`, '--diagnostics=json'], 240_000);
    server.close();
    expect(r.status, r.stderr).toBe(0);
    expect(accepted.length).toBe(1);
    const imp = runSidecar(['import', logs, '--strict']);
    expect(imp.status, imp.stderr).toBe(0);
    const recs = ndjson<{ RecordType: string; Event: string; LocalPort: number; RemotePort: number; Source: string; ProcessId: number | null; ProcessName: string | null }>(imp.stdout);
    const rows = recs.filter((x) => x.RecordType === 'LogRecord' && x.LocalPort === accepted[0] && x.RemotePort === port);
    expect(rows.map((x) => [x.Event, x.Source])).toEqual([['Open', 'etw'], ['Close', 'etw']]);
    expect(rows[0].ProcessName).toBe('node');
    expect(rows[0].ProcessId).toBeGreaterThan(0);
    expect(recs.some((x) => x.Event === 'Warning' && /PR_COVERAGE/.test(JSON.stringify(x)))).toBe(false);
  }, 300_000);
});
