/**
 * kill -9 at 50 moments drawn from a seeded generator (the seed is printed; PORTREPORT_SEED replays
 * it) under load, restarting each time: every log file parses completely (no partial or corrupt
 * row, no broken gzip), and the connections each run had flushed before its kill are all there,
 * matched by their ports.
 */
import { afterAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogs, startWatch } from '../helpers/watch.js';
import { seeded } from '../helpers/random.js';

const dir = mkdtempSync(join(tmpdir(), 'portreport-kill-'));
const logs = join(dir, 'logs');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Closed { port: number; at: number }

/** Open and close loopback connections until stopped (bounded: at most 200 per second); each client's port and close time kept. */
function churn(): { stop: () => Promise<void>; closed: Closed[] } {
  let running = true;
  const closed: Closed[] = [];
  const server = net.createServer((s) => { s.on('error', () => {}); s.end(); });
  const done = new Promise<void>((resolve) => server.listen(0, '127.0.0.1', async () => {
    const { port } = server.address() as net.AddressInfo;
    while (running) {
      await new Promise<void>((r) => {
        let local = 0;
        const c = net.connect(port, '127.0.0.1', () => { local = c.localPort ?? 0; c.end(); });
        c.on('close', () => { if (local) closed.push({ port: local, at: Date.now() }); r(); });
        c.on('error', () => r());
      });
      await new Promise((r) => setTimeout(r, 5));
    }
    server.close(() => resolve());
  }));
  return { stop: async () => { running = false; await done; }, closed };
}

describe('portreport watch under kill -9', () => {
  it('leaves only complete rows, keeps every flushed row, across 50 kills and restarts', async () => {
    const { seed, next } = seeded();
    console.log(`kill -9 test seed ${seed} (replay: PORTREPORT_SEED=${seed})`);
    const load = churn();
    // Per run: its pid, when its first and last flush were heard, and how many connection rows it had flushed.
    const runs: { pid: number; first: number; last: number; count: number }[] = [];
    for (let i = 0; i < 50; i++) {
      // Small files and fast polls: kills land in writes, rotations and compressions alike.
      const w = startWatch(logs, ['--interval', '0.2', '--no-hash', '--max-file-size', '4KB', '--module-interval', '0.5']);
      let last = await w.nextFlush();
      const first = Date.now();
      let lastAt = first;
      const until = Date.now() + 50 + next() * 700;
      while (Date.now() < until) {
        const got = await Promise.race([w.nextFlush(), new Promise<null>((r) => setTimeout(() => r(null), until - Date.now()))]);
        if (got) { last = got; lastAt = Date.now(); }
      }
      w.child.kill('SIGKILL');
      await w.exited;
      runs.push({ pid: w.child.pid!, first, last: lastAt, count: last.connections });
    }
    await load.stop();
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
    let checked = 0;
    for (const run of runs) {
      const rows = readLogs(logs, 'connections').filter((f) => f.file.includes(`-${run.pid}-`)).flatMap((f) => f.rows);
      expect(rows.length, `run ${run.pid} flushed ${run.count} connection rows before its kill`).toBeGreaterThanOrEqual(run.count);
      expect(rows[0].Event).toBe('Start');
      // By identity: every test connection that closed while this run was up, well before its
      // last flush (a poll and more), has its Close row in this run's files, by its client port.
      const ports = new Set(rows.filter((r) => r.Event === 'Close' && r.LocalAddress === '127.0.0.1').flatMap((r) => [r.LocalPort, r.RemotePort]));
      const due = load.closed.filter((c) => c.at > run.first && c.at < run.last - 500);
      const missing = due.filter((c) => !ports.has(String(c.port)));
      expect(missing, `run ${run.pid}: ${missing.length} of ${due.length} closed connections absent (seed ${seed})`).toEqual([]);
      checked += due.length;
    }
    console.log(`kill -9 test: ${checked} connections matched by port to the run that logged them`);
    expect(checked).toBeGreaterThan(0);
  }, 300_000);
});
