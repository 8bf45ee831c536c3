/** What the CLI prints for people: text diagnostics that quote attacker text are escaped for the terminal. */
import { afterAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECTIONS_LOG } from '../../src/watch/logformat.js';
import { terminalSafe } from '../../src/util/display.js';
import { runSidecar } from '../helpers/procs.js';
import { rawConnectionLine } from '../helpers/logs.js';

const dir = mkdtempSync(join(tmpdir(), 'portreport-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('escapes ESC, BEL, C1 and bidi controls in text diagnostics, and bounds quoted values', () => {
  const evil = '\u001b]0;PWNED\u0007\u009b2J\u202e';
  const row = `${rawConnectionLine({ Time: '2026-11-02T02:00:00.000Z', Event: 'Open', Protocol: 'TCP', AddressFamily: 'IPv4', LocalAddress: '10.0.0.5',
    LocalPort: `x${evil}${'y'.repeat(5000)}`, RemoteAddress: '192.0.2.9', RemotePort: 8443, State: 'Established', ProcessId: 1, ProcessName: 'x',
    ExecutablePath: '/x', UserName: 'u', OwnerStatus: 'Known', Source: 'poll', HostName: 'web01' })}\n`;
  const file = join(dir, `portreport-connections-v1-${evil}.csv`);
  writeFileSync(file, CONNECTIONS_LOG.header + row);
  const r = runSidecar(['import', file]);
  expect(r.stderr).toMatch(/PR_IMPORT_BAD_FIELD/);
  expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  expect(r.stderr).toContain('\\x1b]0;PWNED\\x07\\x9b2J\\u{202e}');
  expect(r.stderr.length).toBeLessThan(1000);
  expect(terminalSafe('a\u2066b\udc9bc')).toBe('a\\u{2066}b\\x9bc');
});
