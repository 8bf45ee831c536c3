/**
 * The Windows logger killed abruptly, under Wine (the kill-safety test of the Linux logger, for
 * Windows): 10 forced kills (SIGKILL of the process Wine runs node.exe in: nothing runs at exit, as
 * with TerminateProcess) at moments drawn from a printed seed, each followed by a restart; then one
 * clean run. Every file parses with `portreport import --strict`, and each killed run's rows up to
 * its last flush are in its files.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ndjson, runSidecar, SIDECAR } from '../../helpers/procs.js';
import { seeded } from '../../helpers/random.js';
import { runWindowsNode, WIN_NODE, WINEPREFIX, wineReady, winPath } from '../../helpers/wine.js';

const ready = wineReady();
if (!ready && process.env.CI) throw new Error('Wine or the Windows node.exe is missing: run bash scripts/setup-windows.sh');
const dir = mkdtempSync(join(tmpdir(), 'portreport-winkill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Start the logger under Wine, stderr to a file; resolves the run once it has flushed, with its stamp range. */
async function killedRun(logs: string, i: number, delayMs: number): Promise<{ flushed: number; from: string; to: string }> {
  const err = join(dir, `err-${i}`);
  const fd = openSync(err, 'w');
  const from = new Date().toISOString().replace(/[-:]/g, '').replace('.', '');
  const child = spawn('wine', [WIN_NODE, winPath(SIDECAR), 'watch', `--log-path=${winPath(logs)}`, '--interval=0.2', '--no-hash', '--max-file-size=4KB', '--verbose', '--diagnostics=json'],
    { stdio: ['ignore', 'ignore', fd], env: { ...process.env, WINEPREFIX, WINEDEBUG: '-all' } });
  const flushes = () => readFileSync(err, 'utf8').split('\n').filter((l) => l.includes('"PR_FLUSHED"')).map((l) => Number(/connections=(\d+)/.exec(l)?.[1] ?? 0));
  const until = Date.now() + 60_000;
  while (flushes().length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  expect(flushes().length, readFileSync(err, 'utf8')).toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, delayMs));
  const seen = flushes();
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  closeSync(fd);
  const to = new Date().toISOString().replace(/[-:]/g, '').replace('.', '');
  return { flushed: seen.at(-1) ?? 0, from, to };
}

describe.skipIf(!ready)('portreport watch on Windows under forced kills (Wine)', () => {
  it('leaves files that parse strictly, each run\'s flushed rows kept, across 10 kills and restarts', async () => {
    const { seed, next } = seeded();
    console.log(`Windows kill test seed ${seed} (replay: PORTREPORT_SEED=${seed})`);
    const logs = join(dir, 'logs');
    const runs = [];
    for (let i = 0; i < 10; i++) runs.push(await killedRun(logs, i, 100 + Math.floor(next() * 1200)));
    const final = await runWindowsNode([winPath(SIDECAR), 'watch', `--log-path=${winPath(logs)}`, '--interval=0.2', '--no-hash', '--duration=2'], 90_000);
    expect(final.status, final.stderr).toBe(0);
    const files = readdirSync(logs).filter((f) => f !== 'portreport.lock');
    expect(files.every((f) => /^portreport-(initial|connections|processes)-v1-\d{8}T\d{9}Z-\d+-\d+\.csv\.gz$/.test(f)), files.join(' ')).toBe(true);
    const imp = runSidecar(['import', logs, '--strict']);
    expect(imp.status, imp.stderr).toBe(0);
    const recs = ndjson<{ LogFile: string; RecordType: string }>(imp.stdout);
    for (const run of runs) {
      // A run's files carry its creation stamps (names sort by time), between its start and its kill.
      const stampOf = (f: string) => /-v1-(\d{8}T\d{9}Z)-/.exec(f)![1];
      const own = recs.filter((x) => x.RecordType === 'LogRecord' && x.LogFile.includes('portreport-connections-') && stampOf(x.LogFile) >= run.from && stampOf(x.LogFile) <= run.to);
      expect(own.length, `the run started ${run.from} flushed ${run.flushed} connection rows before its kill (seed ${seed})`).toBeGreaterThanOrEqual(run.flushed);
    }
    expect(existsSync(join(logs, 'portreport.lock'))).toBe(true);
  }, 300_000);
});
