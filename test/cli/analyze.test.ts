/**
 * `portreport summary | detect | baseline` as admins and scheduled tasks run them: a live
 * masquerade, exit codes for --fail-on, owner-only baseline files never written through a
 * symlink, clear usage errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostileNodeCopy, ndjson, runSidecar, spawnHostileListener, type Spawned } from '../helpers/procs.js';
import { outbound, routine, writeConnections, writeProcesses, type Who } from '../helpers/logs.js';
import { tempDir } from '../helpers/analyze.js';
import type { Finding } from '../../src/analyze/rules.js';

let logs: ReturnType<typeof tempDir>;
const FAKE: Who = { pid: 4242, name: 'sshd', path: '/tmp/.cache/sshd', user: 'nobody' };

beforeAll(() => {
  logs = tempDir();
  const r = routine();
  writeConnections(logs.dir, '1', [...r.conns, outbound(5000, FAKE, '192.0.2.99', 8443, 50000)]);
  writeProcesses(logs.dir, '1', r.procs);
});
afterAll(() => logs.cleanup());

describe('portreport detect --live', () => {
  let exe: ReturnType<typeof hostileNodeCopy>;
  let proc: Spawned;
  beforeAll(async () => {
    // A harmless program (node running a loopback listener) copied to a temp folder as "sshd".
    exe = hostileNodeCopy(Buffer.from('bin'), Buffer.from('sshd'));
    proc = await spawnHostileListener(exe.path, []);
  });
  afterAll(() => { proc?.stop(); exe?.cleanup(); });

  it('flags a copy of a program named sshd run from a temp folder as masquerade', () => {
    const r = runSidecar(['detect', '--live', '--rules', 'masquerade,suspicious', '--format', 'ndjson']);
    expect(r.status, r.stderr).toBe(0);
    const mine = ndjson<Finding>(r.stdout).filter((f) => f.ExecutablePath === exe.path.toString());
    expect(mine.map((f) => f.Rule).sort()).toEqual(['Masquerade', 'SuspiciousPath']);
    expect(mine.find((f) => f.Rule === 'Masquerade')).toMatchObject({ Severity: 'High', ProcessName: 'sshd', Evidence: expect.stringContaining('/usr/sbin') });
  });
});

describe('exit codes and errors', () => {
  it('--fail-on: exit 3 when a finding is at or above the severity, 0 below it', () => {
    const high = runSidecar(['detect', logs.dir, '--fail-on', 'High', '--format', 'ndjson', '--diagnostics', 'json']);
    expect(high.status).toBe(3);
    expect(ndjson<Finding>(high.stdout).some((f) => f.Rule === 'Masquerade')).toBe(true);
    expect(high.stderr).toContain('PR_FINDINGS_AT_OR_ABOVE');
    const critical = runSidecar(['detect', logs.dir, '--fail-on', 'critical', '--format', 'ndjson']);
    expect(critical.status).toBe(0);
  });

  it('usage errors name the option and exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['summary'], /no input/],
      [['summary', logs.dir, '--report', 'ports'], /--report: "ports" is not one of port, process/],
      [['detect', logs.dir, '--watch', 'port=http'], /--watch: field port: "http" is not a port number/],
      [['detect', logs.dir, '--fail-on', 'severe'], /--fail-on: "severe"/],
      [['detect', '--live', '--engine', 'duckdb'], /DuckDB engine reads log files/],
      [['baseline', logs.dir], /--out FILE is required/],
      [['detect', logs.dir, '--after', 'yesterday'], /--after: "yesterday" is not an ISO-8601 date and time/],
    ];
    for (const [args, re] of cases) {
      const r = runSidecar(args);
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.status, args.join(' ')).not.toBe(0);
    }
  });

  it('reports progress for long analyses (files loaded, queries run)', () => {
    const r = runSidecar(['summary', logs.dir, '--engine', 'duckdb', '--format', 'ndjson', '--diagnostics', 'json'], { ...process.env, PORTREPORT_PROGRESS_AFTER_MS: '0' });
    expect(r.status, r.stderr).toBe(0);
    const prog = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as { Level: string; Message: string }).filter((d) => d.Level === 'progress');
    expect(prog.map((p) => p.Message)).toEqual(expect.arrayContaining([expect.stringMatching(/^loading .*portreport-connections-v1-1\.csv \(1 of 2 files\) \(0%\)$/), expect.stringMatching(/^query hosts \(\d+ of \d+\)/)]));
  });

  it('a baseline that is not one fails clearly', () => {
    const bad = join(logs.dir, 'bad.json');
    writeFileSync(bad, '{"Format":"something else","Items":[]}');
    const r = runSidecar(['detect', logs.dir, '--baseline', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}: not a PortReport baseline file`);
  });
});

describe('portreport baseline', () => {
  it('writes an owner-only file, refuses to overwrite without --force, replaces a planted symlink without following it', () => {
    const out = join(logs.dir, 'base.json');
    let r = runSidecar(['baseline', logs.dir, '--out', out, '--format', 'ndjson']);
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const info = ndjson(r.stdout)[0];
    expect(info).toMatchObject({ RecordType: 'BaselineInfo', Path: out, ListeningPorts: 2 });
    r = runSidecar(['baseline', logs.dir, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('already exists');

    const victim = join(logs.dir, 'victim.txt');
    writeFileSync(victim, 'keep me');
    const link = join(logs.dir, 'link.json');
    symlinkSync(victim, link);
    r = runSidecar(['baseline', logs.dir, '--out', link, '--force']);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    // And the comparison with the same logs finds nothing new.
    r = runSidecar(['detect', logs.dir, '--baseline', out, '--rules', 'baseline', '--format', 'ndjson']);
    expect(r.status).toBe(0);
    expect(ndjson(r.stdout)).toEqual([]);
  });
});

describe('exit codes an unattended task can trust', () => {
  it('detect, summary, baseline and compact on a missing path exit 1; detect --fail-on never says clean then', () => {
    for (const cmd of [['detect'], ['detect', '--fail-on', 'high'], ['summary'], ['compact']]) {
      const r = runSidecar([...cmd, '/nonexistent/portreport-logs']);
      expect(r.status, cmd.join(' ')).toBe(1);
      expect(r.stderr, cmd.join(' ')).toMatch(/nonexistent/);
    }
    const out = join(logs.dir, 'never.json');
    expect(runSidecar(['baseline', '/nonexistent/portreport-logs', '--out', out]).status).toBe(1);
    expect(() => statSync(out)).toThrow();
  });

  it('refuses a baseline learned from no rows, writing nothing', () => {
    const empty = tempDir();
    try {
      const out = join(empty.dir, 'b.json');
      const r = runSidecar(['baseline', empty.dir, '--out', out]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/PR_BASELINE_EMPTY: the inputs hold no rows to learn from/);
      expect(() => statSync(out)).toThrow();
    } finally { empty.cleanup(); }
  });

  it('prints --version, and a full disk under stdout is a message, not a stack trace', async () => {
    expect(JSON.parse(runSidecar(['--version']).stdout.toString())).toMatchObject({ Version: expect.stringMatching(/^\d+\.\d+\.\d+/), Contract: 2 });
    const { spawnSync } = await import('node:child_process');
    const { openSync, closeSync } = await import('node:fs');
    const { SIDECAR } = await import('../helpers/procs.js');
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [SIDECAR, 'snapshot', '--format', 'ndjson'], { stdio: ['ignore', fd, 'pipe'] });
      expect(r.status).toBe(1);
      expect(r.stderr.toString()).toBe('portreport: error PR_OUTPUT: cannot write the output: ENOSPC\n');
    } finally { closeSync(fd); }
  });
});
