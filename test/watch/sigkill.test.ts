/**
 * kill -9 at 50 random moments under load, restarting each time: every log file parses completely
 * (no partial or corrupt row, no broken gzip), and the rows each run had flushed before its kill
 * are all there.
 */
import { afterAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogs, startWatch } from '../helpers/watch.js';

const dir = mkdtempSync(join(tmpdir(), 'portreport-kill-'));
const logs = join(dir, 'logs');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Open and close loopback connections until stopped (bounded: at most 200 per second). */
function churn(): () => Promise<void> {
  let running = true;
  const server = net.createServer((s) => { s.on('error', () => {}); s.end(); });
  const done = new Promise<void>((resolve) => server.listen(0, '127.0.0.1', async () => {
    const { port } = server.address() as net.AddressInfo;
    while (running) {
      await new Promise<void>((r) => { const c = net.connect(port, '127.0.0.1', () => c.end()); c.on('close', () => r()); c.on('error', () => r()); });
      await new Promise((r) => setTimeout(r, 5));
    }
    server.close(() => resolve());
  }));
  return async () => { running = false; await done; };
}

describe('portreport watch under kill -9', () => {
  it('leaves only complete rows, keeps every flushed row, across 50 kills and restarts', async () => {
    const stop = churn();
    const flushed = new Map<number, number>();
    for (let i = 0; i < 50; i++) {
      // Small files and fast polls: kills land in writes, rotations and compressions alike.
      const w = startWatch(logs, ['--interval', '0.2', '--no-hash', '--max-file-size', '4KB', '--module-interval', '0.5']);
      const first = await w.nextFlush();
      let last = first;
      const until = Date.now() + 50 + Math.random() * 700;
      while (Date.now() < until) {
        const next = await Promise.race([w.nextFlush(), new Promise<null>((r) => setTimeout(() => r(null), until - Date.now()))]);
        if (next) last = next;
      }
      w.child.kill('SIGKILL');
      await w.exited;
      flushed.set(w.child.pid!, last.connections);
    }
    await stop();
    // One clean run afterwards: it compresses what the killed runs left, as a restart does.
    const final = startWatch(logs, ['--interval', '0.2', '--no-hash', '--duration', '1']);
    expect(await final.exited).toBe(0);

    const files = readdirSync(logs).filter((f) => f !== 'portreport.lock');
    expect(files.every((f) => /^portreport-(initial|connections|processes)-v1-\d{8}T\d{9}Z-\d+-\d+\.csv\.gz$/.test(f)), files.join(' ')).toBe(true);
    expect(files.every((f) => (statSync(join(logs, f)).mode & 0o777) === 0o600)).toBe(true);
    expect(statSync(logs).mode & 0o777).toBe(0o700);
    // readLogs gunzips and parses strictly: a partial row or a broken gzip throws here.
    const all = ['initial', 'connections', 'processes'].flatMap((k) => readLogs(logs, k));
    expect(all.length).toBeGreaterThan(50);
    for (const [pid, count] of flushed) {
      const rows = readLogs(logs, 'connections').filter((f) => f.file.includes(`-${pid}-`)).flatMap((f) => f.rows);
      expect(rows.length, `run ${pid} flushed ${count} connection rows before its kill`).toBeGreaterThanOrEqual(count);
      expect(rows[0].Event).toBe('Start');
    }
  }, 300_000);
});
