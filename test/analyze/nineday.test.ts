/**
 * The check an analyst makes (issue 10): nine days of genuine-format Port Reporter 1.01 logs of one
 * workstation; a baseline of days 1-7; day 8 carries a planted VNC listener and update.exe beaconing
 * from C:\Users\Public; day 9 is routine. Day 8 must give exactly the planted behaviours, each once,
 * on host WS01; day 9 nothing. Both engines, which must agree.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { both, tempDir } from '../helpers/analyze.js';
import { plantedUses, routineDay, writeLegacyDay, WS } from '../helpers/legacylogs.js';
import { baselineItems, BASELINE_FORMAT, BASELINE_VERSION, type Baseline } from '../../src/analyze/baseline.js';

let t: ReturnType<typeof tempDir>;
let baseline: Baseline;
const dayDir = (d: number) => join(t.dir, `day${d}`);

beforeAll(async () => {
  t = tempDir();
  for (let d = 1; d <= 9; d++) {
    mkdirSync(dayDir(d));
    writeLegacyDay(dayDir(d), d, d === 8 ? [...routineDay(d), ...plantedUses()] : routineDay(d));
  }
  const { results } = await both([1, 2, 3, 4, 5, 6, 7].map(dayDir));
  baseline = { Format: BASELINE_FORMAT, Version: BASELINE_VERSION, Created: '2026-11-08T00:00:00Z', After: null, Before: null, Sources: [], Items: baselineItems(results) };
}, 60_000);
afterAll(() => t.cleanup());

test('day 8: exactly the planted behaviours, each once, on WS01', async () => {
  const { findings } = await both([dayDir(8)], { baseline });
  const seen = findings.map((f) => `${f.Rule} ${f.ProcessName}`).sort();
  expect(seen).toEqual([
    'Beaconing update.exe',
    'NewListeningPort winvnc.exe',
    'NewRemoteHost update.exe',
    'NewServicePair update.exe',
    'SuspiciousPath update.exe',
  ]);
  for (const f of findings) expect(f.HostName).toBe(WS);
  const path = findings.find((f) => f.Rule === 'SuspiciousPath')!;
  expect(path).toMatchObject({ ExecutablePath: 'C:\\Users\\Public\\update.exe', UserName: 'CORP\\alice', Count: 40 });
  // Evidence is for people: the path as it is, not JSON-escaped.
  expect(path.Evidence).toContain('"C:\\Users\\Public\\update.exe"');
  expect(path.Evidence).not.toContain('\\\\');
  expect(findings.find((f) => f.Rule === 'Beaconing')!.Evidence).toMatch(/^40 connections to 203\.0\.113\.80:443 every 300\.0 s/);
}, 60_000);

test('day 9 (routine): nothing', async () => {
  expect((await both([dayDir(9)], { baseline })).findings).toEqual([]);
}, 60_000);

test('without a baseline, rare means rare within the logs given', async () => {
  // Day 8 alone: the sites visited twice a day are under 1% of its connections once update.exe beacons.
  const { findings } = await both([dayDir(8)], { rules: ['rare'] });
  expect(findings.map((f) => f.Rule)).toContain('RareRemoteHost');
}, 60_000);
