/**
 * OwnerStatus on real sockets, each reason a socket's owner can be unknown, as docs/record.md
 * says: NoInode (a TIME_WAIT socket: the kernel keeps no owner), NotFound (the holder is in no
 * process the collector can see: the snapshot runs in its own pid namespace with its own /proc),
 * AccessDenied (not root, and another user's socket). Needs root (namespaces, setpriv); CI runs
 * as root, so there nothing here may be skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import net from 'node:net';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SIDECAR } from '../../helpers/procs.js';

const root = process.getuid?.() === 0;
let server: net.Server;
let port = 0;
let pub = '';

interface Rec { LocalPort: number; RemotePort: number; State: string; OwnerStatus: string; ProcessId: number | null }

/** Run a command asynchronously (the listener lives in this process and must keep answering). */
const run = (cmd: string, args: string[]) => new Promise<Rec[]>((resolve, reject) => execFile(cmd, args, { timeout: 60_000, maxBuffer: 1 << 28 }, (e, out, err) =>
  (e ? reject(new Error(`${e.message}\n${err}`)) : resolve(out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Rec)))));

beforeAll(async () => {
  server = net.createServer((s) => { s.on('error', () => {}); s.on('end', () => s.end()); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as net.AddressInfo).port;
  // The packaged sidecar (scripts/setup.sh builds it) copied where another user can read it: a
  // working copy may sit in a folder only root can enter.
  const sidecar = readdirSync(join(ROOT, 'out', 'PortReport')).map((v) => join(ROOT, 'out', 'PortReport', v, 'sidecar')).find((d) => existsSync(join(d, 'main.js')));
  if (!sidecar) throw new Error('out/PortReport/<version>/sidecar is missing: run bash scripts/setup.sh');
  pub = mkdtempSync(join(tmpdir(), 'portreport-owner-'));
  chmodSync(pub, 0o755);
  cpSync(sidecar, join(pub, 'sidecar'), { recursive: true, filter: (p) => !p.includes('@duckdb') });
});
afterAll(() => { server.close(); if (pub) rmSync(pub, { recursive: true, force: true }); });

describe('OwnerStatus on real sockets', () => {
  it('NoInode for a TIME_WAIT socket, with no pid', async () => {
    // The client closes first, so its end waits in TIME_WAIT once the server's FIN comes.
    const local = await new Promise<number>((r) => { const c = net.connect(port, '127.0.0.1', () => { const p = c.localPort!; c.end(); c.on('close', () => r(p)); }); });
    const recs = await run(process.execPath, [SIDECAR, 'snapshot', '--format', 'ndjson', `--local-port=${local}`]);
    const tw = recs.find((x) => x.LocalPort === local && x.RemotePort === port);
    expect(tw).toMatchObject({ State: 'TimeWait', OwnerStatus: 'NoInode', ProcessId: null });
  });

  it('NotFound when the holder is in no process the collector can see (its own pid namespace and /proc)', async (ctx) => {
    if (!root) { if (process.env.CI) throw new Error('needs root'); ctx.skip(); }
    const recs = await run('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, SIDECAR, 'snapshot', '--format', 'ndjson', `--local-port=${port}`]);
    expect(recs.find((x) => x.LocalPort === port && x.State === 'Listen')).toMatchObject({ OwnerStatus: 'NotFound', ProcessId: null });
    // The same snapshot from here names this process.
    const here = await run(process.execPath, [SIDECAR, 'snapshot', '--format', 'ndjson', `--local-port=${port}`]);
    expect(here.find((x) => x.LocalPort === port && x.State === 'Listen')).toMatchObject({ OwnerStatus: 'Known', ProcessId: process.pid });
  });

  it('AccessDenied for another user\'s socket when not root', async (ctx) => {
    if (!root) { if (process.env.CI) throw new Error('needs root'); ctx.skip(); }
    const recs = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(pub, 'sidecar', 'main.js'), 'snapshot', '--format', 'ndjson', `--local-port=${port}`]);
    expect(recs.find((x) => x.LocalPort === port && x.State === 'Listen')).toMatchObject({ OwnerStatus: 'AccessDenied', ProcessId: null });
  });
});
