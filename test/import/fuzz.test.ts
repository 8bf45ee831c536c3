/**
 * Fuzzing the importers with mutated and truncated logs (thousands of cases, bounded in time):
 * no crash, no hang, and in Port Reporter rows every line is either a record or a reported error.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePrPids, parsePrPorts } from '../../src/import/legacy.js';
import { readOurLog } from '../../src/import/ourlogs.js';
import { ImportError } from '../../src/import/errors.js';
import { CONNECTIONS_LOG, connectionNote, csvRows } from '../../src/watch/logformat.js';
import { FIXTURES, runSidecar } from '../helpers/procs.js';

/** A small deterministic PRNG, so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

const ALPHABET = ',"<>\\/:*\r\n\t 0123456789.abcXYZ=\u00e9\u0000\uffff';

function mutate(text: string, r: () => number): string {
  let t = text;
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(r() * (t.length + 1));
    const op = Math.floor(r() * 4);
    const ch = ALPHABET[Math.floor(r() * ALPHABET.length)];
    if (op === 0) t = t.slice(0, at) + ch + t.slice(at);
    else if (op === 1) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 5));
    else if (op === 2) t = t.slice(0, at) + ch + t.slice(at + 1);
    else t = t.slice(0, at); // truncate
  }
  return t;
}

const PORTS = readFileSync(join(FIXTURES, 'legacy', 'PR-PORTS-SERVER1-0705-0607-134404.log'), 'latin1');
const PIDS = readFileSync(join(FIXTURES, 'legacy', 'PR-PIDS-SERVER1-0705-0607-134404.log'), 'latin1');
const OURS = Buffer.concat([Buffer.from(CONNECTIONS_LOG.header), ...Array.from({ length: 20 }, (_, i) =>
  csvRows([connectionNote(new Date(Date.UTC(2026, 0, 1, 0, 0, i)), 'Start', 'host,"x"', `msg ${i} =1+1\n"q"`)], CONNECTIONS_LOG.text))]).toString('latin1');

describe('fuzzing the log parsers', () => {
  it('PR-PORTS: 3,000 mutations, no crash, every data line a record or a reported error', () => {
    const t0 = Date.now();
    for (let seed = 1; seed <= 3000; seed++) {
      const text = mutate(PORTS, rng(seed));
      const errors: ImportError[] = [];
      let res;
      try { res = parsePrPorts(text, 'f', (e) => errors.push(e)); } catch (e) { throw new Error(`seed ${seed}: ${(e as Error).message}`); }
      // Every line but blanks and the genuine header lines is a record or an error (even with --strict nothing passes silently).
      const header = /^(Port Reporter Version [^\n]*Log File|Log format:\s*$|date,time,protocol,local port,)/i;
      const candidates = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !header.test(l) && !/Check\s+(PR-PIDS-\S+?\.log)/i.test(l)).length;
      expect(res.rows.length + errors.length, `seed ${seed}`).toBe(candidates);
      expect(errors.every((e) => e instanceof ImportError && e.line! > 0 && e.field)).toBe(true);
    }
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it('PR-PIDS: 2,000 mutations, no crash', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const text = mutate(PIDS, rng(seed * 7));
      expect(() => parsePrPids(text, 'f', () => {}), `seed ${seed}`).not.toThrow();
    }
  });

  it('our CSV: 1,500 mutations, no crash, no hang; failures are ImportErrors naming the file', async () => {
    const t0 = Date.now();
    for (let seed = 1; seed <= 1500; seed++) {
      const bytes = Buffer.from(mutate(OURS, rng(seed * 13)), 'latin1');
      let rows = 0;
      const errors: ImportError[] = [];
      let failed = false;
      try {
        await readOurLog(Readable.from([bytes]), 'f.csv', () => rows++, (e) => errors.push(e), false);
      } catch (e) {
        expect(e, `seed ${seed}: ${(e as Error).message}`).toBeInstanceOf(ImportError);
        expect((e as ImportError).file).toBe('f.csv');
        failed = true;
      }
      // Nothing vanishes silently: a body with content gives records, reported errors, or a file error.
      const body = bytes.toString('latin1').split('\n').slice(1).join('\n');
      if (/\S/.test(body)) expect(rows + errors.length > 0 || failed, `seed ${seed}`).toBe(true);
    }
    expect(Date.now() - t0).toBeLessThan(60_000);
  });

  it('the sidecar on 60 mutated and truncated files (plain and gzip): exit 0 or 1, diagnostics only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portreport-fuzz-'));
    try {
      const files: string[] = [];
      for (let seed = 1; seed <= 60; seed++) {
        const r = rng(seed * 31);
        const kind = seed % 3;
        const text = mutate(kind === 0 ? PORTS : kind === 1 ? PIDS : OURS, r);
        let bytes = Buffer.from(text, 'latin1');
        if (seed % 4 === 0) { const gz = gzipSync(bytes); bytes = gz.subarray(0, Math.floor(gz.length * r())); }
        const f = join(dir, kind === 0 ? `PR-PORTS-${seed}.log` : kind === 1 ? `PR-PIDS-${seed}.log` : `portreport-connections-v1-${seed}.csv${seed % 4 === 0 ? '.gz' : ''}`);
        writeFileSync(f, bytes);
        files.push(f);
      }
      const res = runSidecar(['import', '--diagnostics', 'json', ...files]);
      expect([0, 1]).toContain(res.status);
      for (const line of res.stderr.trim().split('\n').filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
