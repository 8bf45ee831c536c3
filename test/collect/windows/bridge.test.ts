/**
 * The edge-js bridge under Wine (docs/windows.md: what PortReport uses it for): the Windows node.exe
 * loads edge-js's Windows prebuilt addon with a self-contained win-x64 bootstrap and calls a method
 * of a PortReport .NET assembly (PortReport.Bridge.Describe) in its own process. Optional: the
 * collector never loads it (wine.test.ts runs without it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT } from '../../helpers/procs.js';
import { runWindowsNode, wineReady, winPath } from '../../helpers/wine.js';

const WIN = join(ROOT, '.deps/win');
const parts = { edge: join(WIN, 'edge-js-26.1.0'), bootstrap: join(WIN, 'edge-bootstrap'), bridge: join(WIN, 'bridge', 'PortReport.Bridge.dll') };
const ready = wineReady() && existsSync(join(parts.edge, 'lib/edge.js')) && existsSync(join(parts.bootstrap, 'bootstrap.dll')) && existsSync(parts.bridge);
if (!ready && process.env.CI) throw new Error('edge-js, its bootstrap or PortReport.Bridge is missing: run bash scripts/setup-windows.sh');
const dir = mkdtempSync(join(tmpdir(), 'portreport-edge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!ready)('the .NET bridge (edge-js) in the Windows sidecar, under Wine', () => {
  it('calls PortReport.Bridge.Describe in .NET, inside the node.exe process, on Windows', async () => {
    const out = join(dir, 'edge.json');
    const r = await runWindowsNode([winPath(join(FIXTURES, 'windows', 'edge.cjs')), winPath(parts.edge), winPath(parts.bootstrap), winPath(parts.bridge), winPath(out)], 120_000);
    expect(r.status, r.stderr).toBe(0);
    const d = JSON.parse(readFileSync(out, 'utf8'));
    expect(d.error).toBeUndefined();
    expect(d.Runtime).toMatch(/^\.NET 8\./);
    expect(d.OS).toMatch(/Windows/);
    expect(d.Windows).toBe(true);
    expect(d.ProcessId).toBe(d.nodePid);
    expect(d.Echo).toBe(`from node ${d.nodePid}`);
  }, 150_000);

  it('streams Kernel-Network events from .NET (the stand-in source) into the decoder, lost events as Gap diagnostics, and stops cleanly', async () => {
    const out = join(dir, 'events.json');
    const r = await runWindowsNode([winPath(join(FIXTURES, 'windows', 'events.mjs')), winPath(parts.edge), winPath(parts.bootstrap), winPath(parts.bridge), winPath(out)], 120_000);
    expect(r.status, r.stderr).toBe(0);
    const d = JSON.parse(readFileSync(out, 'utf8'));
    expect(d.events.length).toBeGreaterThanOrEqual(8);
    expect(d.events.slice(0, 4)).toEqual([
      { kind: 'connect', protocol: 'TCP', family: 'IPv4', pid: 4000, size: 0, remoteAddress: '192.0.2.9', remotePort: 443, localAddress: '10.0.0.5', localPort: 51000 },
      { kind: 'disconnect', protocol: 'TCP', family: 'IPv4', pid: 4000, size: 0, remoteAddress: '192.0.2.9', remotePort: 443, localAddress: '10.0.0.5', localPort: 51000 },
      { kind: 'connect', protocol: 'TCP', family: 'IPv6', pid: 4000, size: 0, remoteAddress: '::1', remotePort: 8443, localAddress: '::1', localPort: 50000 },
      { kind: 'accept', protocol: 'TCP', family: 'IPv4', pid: 4000, size: 0, remoteAddress: '198.51.100.7', remotePort: 40001, localAddress: '10.0.0.5', localPort: 443 },
    ]);
    expect(d.events[4].pid).toBe(4001);
    expect(d.lost[0]).toMatchObject({ Code: 'PR_EVENTS_DROPPED' });
    // Stopped: the stream's task completed, having sent what arrived (and at most one more in flight).
    expect(d.sent).toBeGreaterThanOrEqual(d.events.length + d.lost.length);
    expect(d.sent).toBeLessThanOrEqual(d.events.length + d.lost.length + 1);
  }, 150_000);
});

