/**
 * Fuzzing the import with families of hostile files (stray quotes, long fields, NULs, broken
 * encodings, decompression bombs, FIFOs, links), each beside good logs, through the real sidecar:
 * no hang (each import bounded in time), no crash (exit 0 or 1, never a stack trace), memory under
 * 512 MB whatever the input, every good file's rows all there, every hostile file either read or
 * reported. Cases are drawn from a seeded generator; the seed is printed (PORTREPORT_SEED replays).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECTIONS_LOG, connectionNote, csvRows } from '../../src/watch/logformat.js';
import { SIDECAR } from '../helpers/procs.js';
import { seeded } from '../helpers/random.js';

const root = mkdtempSync(join(tmpdir(), 'portreport-fuzzf-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const GOOD_ROWS = 40;
const body = (n: number, tag: string) => Buffer.concat(Array.from({ length: n }, (_, i) =>
  csvRows([connectionNote(new Date(Date.UTC(2026, 0, 1, 0, 0, i)), 'Start', 'h,"x"', `${tag} ${i} =1+1 "q"`)], CONNECTIONS_LOG.text)));
const log = (b: Buffer) => Buffer.concat([Buffer.from(CONNECTIONS_LOG.header), b]);
const BOMB = gzipSync(Buffer.concat([log(body(2, 'bomb')), Buffer.alloc(200 << 20, 0x41)]));

type Family = (dir: string, next: () => number) => void;
const HOSTILE = 'portreport-connections-v1-20260101T000000001Z-1-0.csv';
const pick = <T>(a: T[], next: () => number) => a[Math.floor(next() * a.length)];
const mutateBytes = (b: Buffer, next: () => number, alphabet: number[], count: number) => {
  const out = Buffer.from(b);
  for (let k = 0; k < count; k++) out[CONNECTIONS_LOG.header.length + Math.floor(next() * (out.length - CONNECTIONS_LOG.header.length))] = pick(alphabet, next);
  return out;
};

const FAMILIES: Record<string, Family> = {
  quotes: (d, next) => writeFileSync(join(d, HOSTILE), mutateBytes(log(body(200, 'q')), next, [0x22], 1 + Math.floor(next() * 6))),
  longField: (d, next) => writeFileSync(join(d, HOSTILE), log(Buffer.concat([body(3, 'l'), Buffer.from(`2026-01-01T00:00:00.000Z,Start,,,,,,,,,,,,,,,,,,,,,,,,,h,"${'x'.repeat((1 + Math.floor(next() * 4)) << 20)}`), next() < 0.5 ? Buffer.from('"\n') : Buffer.alloc(0), body(3, 'm')]))),
  nuls: (d, next) => writeFileSync(join(d, HOSTILE), mutateBytes(log(body(100, 'n')), next, [0x00, 0x0a, 0x0d, 0x2c], 1 + Math.floor(next() * 20))),
  encodings: (d, next) => {
    const junk = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(next() * 256)));
    const prefix = pick([Buffer.from([0xff, 0xfe]), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.alloc(0)], next);
    writeFileSync(join(d, pick([HOSTILE, 'PR-PORTS-X-0705-0607-134404.log', 'PR-PIDS-X-0705-0607-134404.log'], next)), Buffer.concat([prefix, pick([Buffer.from(CONNECTIONS_LOG.header), Buffer.from('Port Reporter Version 1.01 Log File - Port usage log\r\n'), Buffer.alloc(0)], next), junk]));
  },
  bomb: (d, next) => writeFileSync(join(d, pick([`${HOSTILE}.gz`, 'PR-PIDS-B-0705-0607-134404.log.gz', 'PR-PORTS-B-0705-0607-134404.log.gz'], next)), BOMB),
  truncatedGzip: (d, next) => { const z = gzipSync(log(body(500, 't'))); writeFileSync(join(d, `${HOSTILE}.gz`), z.subarray(0, Math.floor(next() * z.length))); },
  fifo: (d) => { expect(spawnSync('mkfifo', [join(d, HOSTILE)]).status).toBe(0); },
  link: (d, next) => symlinkSync(pick(['/dev/zero', '/etc/shadow', join(root, 'nowhere'), d], next), join(d, HOSTILE)),
};

describe('fuzzing the import with hostile file families', () => {
  it('no hang, no crash, memory under 512 MB, every good file kept, every hostile file read or reported', () => {
    const { seed, next } = seeded();
    console.log(`import family fuzz seed ${seed}`);
    const names = Object.keys(FAMILIES);
    const seen = new Map<string, number>();
    for (let c = 0; c < 48; c++) {
      const family = names[c % names.length];
      const d = join(root, `case${c}`);
      mkdirSync(d);
      writeFileSync(join(d, 'portreport-connections-v1-20260101T000000000Z-1-0.csv'), log(body(GOOD_ROWS, 'good')));
      writeFileSync(join(d, 'portreport-connections-v1-20260101T000000002Z-1-0.csv.gz'), gzipSync(log(body(GOOD_ROWS, 'good2'))));
      FAMILIES[family](d, next);
      const r = spawnSync(process.execPath, [SIDECAR, 'import', d, '--diagnostics', 'json'], { timeout: 60_000, maxBuffer: 1 << 28 });
      const what = `case ${c} (${family}, seed ${seed}): ${spawnSync("ls", [d]).stdout}`;
      expect(r.signal, what).toBe(null);
      expect([0, 1], `${what}: exit ${r.status}: ${r.stderr.toString().slice(0, 500)}`).toContain(r.status);
      const diags = r.stderr.toString().trim().split('\n').filter((l) => l).map((l) => JSON.parse(l) as { Level: string; Code: string; Message: string });
      expect(diags.every((x) => /^PR_[A-Z_]+$/.test(x.Code)), what).toBe(true);
      const recs = r.stdout.toString().split('\n').filter((l) => l).map((l) => JSON.parse(l) as { LogFile: string; Message: string });
      // Every good file's rows, all of them.
      expect(recs.filter((x) => x.Message?.startsWith('good ')).length, what).toBe(GOOD_ROWS);
      expect(recs.filter((x) => x.Message?.startsWith('good2 ')).length, what).toBe(GOOD_ROWS);
      // The hostile file was read or reported (never silently dropped).
      const hostileRecs = recs.filter((x) => !/^good2? /.test(x.Message ?? '')).length;
      const reported = diags.filter((x) => x.Level === 'warning' || x.Level === 'error').length;
      expect(hostileRecs + reported, what).toBeGreaterThan(0);
      const done = diags.find((x) => x.Code === 'PR_IMPORT_DONE');
      const mb = Number(/peak memory (\d+) MB/.exec(done?.Message ?? '')?.[1]);
      expect(mb, what).toBeLessThan(512);
      seen.set(family, Math.max(seen.get(family) ?? 0, mb));
      rmSync(d, { recursive: true, force: true });
    }
    console.log(`peak memory by family (MB): ${[...seen].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }, 600_000);
});
