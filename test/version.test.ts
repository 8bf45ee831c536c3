import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';
import { ROOT, runSidecar } from './helpers/procs.js';

describe('version', () => {
  it('is one number in package.json, the sidecar and the module manifest', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const psd1 = readFileSync(join(ROOT, 'powershell/PortReport/PortReport.psd1'), 'utf8');
    expect(VERSION).toBe(pkg.version);
    expect(/ModuleVersion\s*=\s*'([^']+)'/.exec(psd1)?.[1]).toBe(pkg.version);
    const r = runSidecar(['--version']);
    expect(JSON.parse(r.stdout.toString()).Version).toBe(pkg.version);
  });
});
