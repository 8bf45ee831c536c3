/**
 * The logger on Windows, under Wine (issue 12, first part: the polling logger; the service and ETW
 * follow): `portreport watch` with the Windows node.exe writes an initial log, a processes log and
 * a connections log that holds a loopback connection this test opened and closed, and every file
 * parses with `portreport import --strict`; a second logger on the same folder is refused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ndjson, runSidecar, SIDECAR } from '../../helpers/procs.js';
import { runWindowsNode, startWindowsNode, WIN_NODE, WINEPREFIX, wineReady, winPath } from '../../helpers/wine.js';

const ready = wineReady();
if (!ready && process.env.CI) throw new Error('Wine or the Windows node.exe is missing: run bash scripts/setup-windows.sh');
const dir = mkdtempSync(join(tmpdir(), 'portreport-winwatch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!ready)('portreport watch on Windows (under Wine)', () => {
  it('logs the initial snapshot, processes and a connection opened and closed while it ran; every file parses strictly', async () => {
    const logs = join(dir, 'logs');
    const server = net.createServer((s) => { s.on('error', () => {}); });
    await new Promise<void>((r) => server.listen(0, '::', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    // A Windows process with sockets of its own (its outgoing connection and UDP bind have its pid).
    const own = join(dir, 'own.json');
    const win = startWindowsNode([winPath(join(FIXTURES, 'windows', 'sockets.cjs')), String(port), winPath(own)]);
    const err = join(dir, 'err');
    const fd = openSync(err, 'w');
    const child = spawn('wine', [WIN_NODE, winPath(SIDECAR), 'watch', `--log-path=${winPath(logs)}`, '--interval=0.3', '--duration=120', '--no-hash', '--verbose', '--diagnostics=json'],
      { stdio: ['ignore', 'ignore', fd], env: { ...process.env, WINEPREFIX, WINEDEBUG: '-all' } });
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    const flushes = () => readFileSync(err, 'utf8').split('\n').filter((l) => l.includes('"PR_FLUSHED"')).length;
    // It holds the folder from its first moment: a second logger on the same folder is refused.
    const lock = join(logs, 'portreport.lock');
    const until = Date.now() + 150_000;
    while (!(existsSync(lock) && /^\d+/.test(readFileSync(lock, 'latin1'))) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const second = await runWindowsNode([winPath(SIDECAR), 'watch', `--log-path=${winPath(logs)}`, '--duration=1', '--diagnostics=json'], 60_000);
    // Once it polls (after its initial log: slow under Wine when the host holds thousands of sockets,
    // as after the Linux tests): a connection held over several polls, then closed.
    while (flushes() === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const client = await new Promise<net.Socket>((r) => { const c = net.connect(port, '127.0.0.1', () => r(c)); });
    const local = client.localPort!;
    const atOpen = flushes();
    while (flushes() < atOpen + 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    client.destroy();
    const atClose = flushes();
    while (flushes() < atClose + 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const code = await exited;
    closeSync(fd);
    win.kill('SIGKILL');
    server.close();
    expect(code, readFileSync(err, 'utf8')).toBe(0);
    expect(second.status).not.toBe(0);
    expect(second.stderr).toMatch(/PR_LOG_LOCKED/);
    const files = readdirSync(logs).filter((f) => f !== 'portreport.lock');
    for (const kind of ['initial', 'connections', 'processes']) expect(files.some((f) => f.startsWith(`portreport-${kind}-v1-`)), files.join(' ')).toBe(true);
    const imp = runSidecar(['import', logs, '--strict']);
    expect(imp.status, imp.stderr).toBe(0);
    const recs = ndjson<{ RecordType: string; Event: string; LocalPort: number | null; RemotePort: number | null }>(imp.stdout);
    // The server's end opened and closed; the client's, which closed first, opened and went to TIME_WAIT.
    const end = (l: number, rp: number) => recs.filter((x) => x.RecordType === 'LogRecord' && x.LocalPort === l && x.RemotePort === rp).map((x) => x.Event);
    expect(end(port, local)).toEqual(['Open', 'Close']);
    expect(end(local, port)[0]).toBe('Open');
    expect(end(local, port).every((e) => e === 'Open' || e === 'StateChange' || e === 'Close')).toBe(true);
    const ownPid = JSON.parse(readFileSync(own, 'utf8')).pid;
    expect(recs.some((x) => x.RecordType === 'ProcessRecord' && (x as unknown as { ProcessId: number }).ProcessId === ownPid)).toBe(true);
    expect(recs.some((x) => x.Event === 'Warning')).toBe(true); // the Coverage row: no event source yet
    // What the folder says, read on Windows by `portreport status`: its last start, and the stop and why.
    const st = await runWindowsNode([winPath(SIDECAR), 'status', `--log-path=${winPath(logs)}`, '--format=ndjson']);
    expect(st.status, st.stderr).toBe(0);
    expect(JSON.parse(st.stdout)).toMatchObject({ RecordType: 'LoggerStatus', StopReason: 'duration reached' });
    expect(JSON.parse(st.stdout).LastStart).not.toBeNull();
  }, 300_000);
});
