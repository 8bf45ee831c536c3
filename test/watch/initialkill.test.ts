/**
 * kill -9 while the initial log is being written (thousands of sockets, every module of every
 * process): a file under the initial log's name always holds whole rows, and the next start keeps
 * the rows a killed run had written (cut back to whole rows). Kill moments are drawn from a seeded
 * generator; the seed is printed so a failure can be replayed (PORTREPORT_SEED).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogs, startWatch } from '../helpers/watch.js';
import { seeded } from '../helpers/random.js';

const dir = mkdtempSync(join(tmpdir(), 'portreport-ikill-'));
const logs = join(dir, 'logs');
mkdirSync(logs, { mode: 0o700 });
const sockets: net.Socket[] = [];
let server: net.Server;

beforeAll(async () => {
  server = net.createServer((s) => { s.on('error', () => {}); sockets.push(s); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  for (let i = 0; i < 2000; i += 250) {
    await Promise.all(Array.from({ length: 250 }, () => new Promise<void>((r) => { const c = net.connect(port, '127.0.0.1', () => r()); c.on('error', () => {}); sockets.push(c); })));
  }
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('portreport watch killed while writing the initial log', () => {
  it('never leaves a cut row under a log name, and recovers the written rows at the next start', async () => {
    const { seed, next } = seeded();
    console.log(`initial-log kill test seed ${seed}`);
    let sawPartial = 0;
    for (let i = 0; i < 6; i++) {
      const w = startWatch(logs, ['--interval', '0.2', '--no-hash', '--no-gzip']);
      // Kill in the initial write: as soon as its file appears, after 0-15 ms more.
      const until = Date.now() + 20_000;
      const mine = `-${w.child.pid}-`;
      while (Date.now() < until && !readdirSync(logs).some((f) => f.startsWith('portreport-initial-') && f.includes(mine))) {
        await new Promise((r) => setTimeout(r, 1));
      }
      await new Promise((r) => setTimeout(r, next() * 15));
      w.child.kill('SIGKILL');
      await w.exited;
      const names = readdirSync(logs);
      sawPartial += names.filter((f) => f.endsWith('.partial') && f.includes(mine)).length;
      // readLogs parses strictly: a cut row under a log name throws here.
      const initial = readLogs(logs, 'initial');
      for (const f of initial) expect(f.rows.length, f.file).toBeGreaterThan(0);
    }
    const final = startWatch(logs, ['--interval', '0.2', '--no-hash', '--duration', '1']);
    expect(await final.exited).toBe(0);
    const names = readdirSync(logs);
    expect(names.filter((f) => f.endsWith('.partial'))).toEqual([]);
    const initial = readLogs(logs, 'initial');
    // Every killed run's initial rows are kept (a run killed before its first row leaves only a header).
    expect(initial.length).toBeGreaterThanOrEqual(sawPartial);
    console.log(`${sawPartial} kills landed during an initial write; ${initial.length} initial logs kept`);
  }, 240_000);
});
