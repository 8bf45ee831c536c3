/**
 * When the kernel drops socket-destroy events (a burst beyond the receive buffer), the log says so
 * with a Gap row and a full dump resynchronises at once, not at the next poll. The drop is real:
 * the receive buffer is shrunk (PORTREPORT_DESTROY_RCVBUF) and a burst of loopback connections
 * overflows it. Needs root (destroy events); CI runs as root.
 */
import { afterAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogs, startWatch } from '../helpers/watch.js';

const dir = mkdtempSync(join(tmpdir(), 'portreport-gap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('portreport watch when the kernel drops events', () => {
  it('writes a Gap row and resynchronises with a full dump before the next poll', async (ctx) => {
    if (process.getuid?.() !== 0) { if (process.env.CI) throw new Error('needs root'); ctx.skip(); }
    const logs = join(dir, 'logs');
    process.env.PORTREPORT_DESTROY_RCVBUF = '4096';
    const w = startWatch(logs, ['--interval', '20', '--no-hash', '--no-gzip']);
    delete process.env.PORTREPORT_DESTROY_RCVBUF;
    await w.nextFlush();
    const server = net.createServer((s) => { s.on('error', () => {}); s.end(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as net.AddressInfo;
    // One connection that stays open, made after the start (so no poll has seen it: the next one is
    // 20 s away), then a burst of 600 closes (1,200 events of about 200 bytes) against a 4 KB buffer.
    const held: net.Socket[] = [];
    const hold = net.createServer((s) => { s.on('error', () => {}); held.push(s); });
    await new Promise<void>((r) => hold.listen(0, '127.0.0.1', () => r()));
    const holdPort = (hold.address() as net.AddressInfo).port;
    const keep = await new Promise<net.Socket>((r) => { const c = net.connect(holdPort, '127.0.0.1', () => r(c)); });
    keep.on('error', () => {});
    const kept = keep.localPort!;
    const burst = Date.now();
    await Promise.all(Array.from({ length: 600 }, () => new Promise<void>((r) => { const c = net.connect(port, '127.0.0.1', () => c.end()); c.on('close', () => r()); c.on('error', () => r()); })));
    const deadline = Date.now() + 10_000;
    while (!w.diagnostics.some((d) => d.Code === 'PR_EVENTS_DROPPED') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    const stopAt = Date.now();
    w.child.kill('SIGTERM');
    await w.exited;
    keep.destroy();
    for (const h of held) h.destroy();
    hold.close();
    server.close();
    const rows = readLogs(logs, 'connections').flatMap((f) => f.rows);
    const gap = rows.find((r) => r.Event === 'Gap');
    expect(gap, 'a Gap row').toBeDefined();
    expect(gap!.Message).toMatch(/PR_EVENTS_DROPPED/);
    const open = rows.find((r) => r.Event === 'Open' && r.LocalPort === String(kept) && r.RemotePort === String(holdPort));
    expect(open, 'the connection no poll had seen, logged by the dump that resynchronised').toBeDefined();
    // Long before the next 20 s poll: the dump came with the Gap.
    expect(Date.parse(open!.Time) - burst).toBeLessThan(5000);
    expect(Math.abs(Date.parse(open!.Time) - Date.parse(gap!.Time))).toBeLessThan(1000);
    expect(Date.parse(open!.Time), 'logged by the resync, not by the stop').toBeLessThan(stopAt - 1000);
  }, 60_000);
});
