import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES, ndjson, runSidecar } from '../helpers/procs.js';
import { readPackedLog } from '../helpers/packed.js';

describe('portreport import --format packed (contract 2)', () => {
  it('gives exactly the records of the readable NDJSON, with the same warnings', () => {
    const legacy = join(FIXTURES, 'legacy');
    const plain = runSidecar(['import', legacy, '--diagnostics', 'json']);
    const packed = runSidecar(['import', legacy, '--diagnostics', 'json', '--format', 'packed', '--contract', '2']);
    expect(packed.status).toBe(plain.status);
    expect(packed.stderr).toBe(plain.stderr);
    const want = ndjson<Record<string, unknown>>(plain.stdout).map(({ Utf16: _u, ...r }) => { void _u; return r; });
    expect(want.length).toBeGreaterThan(5);
    expect(readPackedLog(packed.stdout.toString('utf8'))).toEqual(want);
    expect(packed.stdout.length).toBeLessThan(plain.stdout.length);
  });

  it('refuses the packed form to a contract-1 caller', () => {
    const r = runSidecar(['import', join(FIXTURES, 'legacy'), '--format', 'packed', '--contract', '1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--format packed: needs contract 2/);
  });
});
