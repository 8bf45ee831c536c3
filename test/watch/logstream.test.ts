import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogDir } from '../../src/watch/logdir.js';
import { DEFAULT_POLICY, LogStream } from '../../src/watch/logstream.js';
import { CONNECTIONS_LOG, connectionNote, csvRows } from '../../src/watch/logformat.js';
import { parseDuration, parseSize } from '../../src/cli/watch.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'portreport-ls-')); dirs.push(d); return join(d, 'logs'); };
const row = (i: number) => csvRows([connectionNote(new Date(Date.UTC(2026, 0, 1)), 'Start', 'h', `row ${i} =HYPERLINK("x")`)], CONNECTIONS_LOG.text);

describe('LogStream', () => {
  it('removes a file a run was killed in before its header was whole; keeps one that is not ours', async () => {
    const path = tmp();
    const d = LogDir.open(path);
    const header = Buffer.from(CONNECTIONS_LOG.header);
    const stamp = '20260101T000000000Z';
    const put = (name: string, bytes: Buffer) => writeFileSync(join(path, name), bytes, { mode: 0o600 });
    put(`portreport-connections-v1-${stamp}-41-0.csv`, Buffer.alloc(0)); // created, not yet written
    put(`portreport-connections-v1-${stamp}-41-1.csv`, header.subarray(0, 17)); // killed mid-header
    put(`portreport-connections-v1-${stamp}-41-2.csv`, Buffer.from('Time,Evil,')); // not our header: not ours
    const s = new LogStream(d, CONNECTIONS_LOG, { ...DEFAULT_POLICY, gzip: false }, () => {});
    s.recoverLeftovers();
    expect(readdirSync(path).filter((f) => f.includes('-41-')).sort()).toEqual([`portreport-connections-v1-${stamp}-41-2.csv`]);
    await s.close();
    d.close();
  });

  it('creates the directory 0700 and files 0600, header first, rows whole', async () => {
    const path = tmp();
    const d = LogDir.open(path);
    const s = new LogStream(d, CONNECTIONS_LOG, { ...DEFAULT_POLICY, gzip: false }, () => {});
    s.append(row(1), 1);
    expect(s.flush()).toBe(true);
    const [f] = readdirSync(path);
    expect(statSync(path).mode & 0o777).toBe(0o700);
    expect(statSync(join(path, f)).mode & 0o777).toBe(0o600);
    const text = readFileSync(join(path, f), 'utf8');
    expect(text.split('\n')[0]).toBe(CONNECTIONS_LOG.header.trim());
    expect(text.split('\n')[1]).toContain('row 1 =HYPERLINK(""x"")');
    await s.close();
    d.close();
  });

  it('rotates by size, gzips closed files and keeps only the newest by count', async () => {
    const path = tmp();
    const d = LogDir.open(path);
    const reports: Diagnostic[] = [];
    const s = new LogStream(d, CONNECTIONS_LOG, { ...DEFAULT_POLICY, maxBytes: 1024, retainCount: 3 }, (x) => reports.push(x));
    for (let i = 0; i < 200; i++) { s.append(row(i), 1); s.flush(); }
    await s.close();
    const files = readdirSync(path).sort();
    expect(reports).toEqual([]);
    expect(files.length).toBe(3);
    expect(files.every((f) => f.endsWith('.csv.gz'))).toBe(true);
    const last = gunzipSync(readFileSync(join(path, files[2]))).toString('utf8');
    expect(last).toContain('row 199');
    d.close();
  });

  it('rotates by age', () => {
    const path = tmp();
    const d = LogDir.open(path);
    const s = new LogStream(d, CONNECTIONS_LOG, { ...DEFAULT_POLICY, gzip: false, maxAgeMs: 1000 }, () => {});
    s.append(row(1), 1);
    s.flush(new Date(Date.UTC(2026, 0, 1, 0, 0, 0)));
    s.append(row(2), 1);
    s.flush(new Date(Date.UTC(2026, 0, 1, 0, 0, 5)));
    s.append(row(3), 1);
    s.flush(new Date(Date.UTC(2026, 0, 1, 0, 0, 6)));
    expect(readdirSync(path).length).toBe(2);
    d.close();
  });

  it('parses sizes and durations, naming the option on bad input', () => {
    expect(parseSize('x', '64MB', 0)).toBe(64 << 20);
    expect(parseSize('x', '512k', 0)).toBe(512 << 10);
    expect(parseSize('x', undefined, 7)).toBe(7);
    expect(() => parseSize('max-file-size', 'lots', 0)).toThrow(/--max-file-size: "lots" is not a size/);
    expect(parseDuration('x', '1', 0)).toBe(1000);
    expect(parseDuration('x', '0.5s', 0)).toBe(500);
    expect(parseDuration('x', '24h', 0)).toBe(86_400_000);
    expect(() => parseDuration('interval', 'soon', 0)).toThrow(/--interval: "soon" is not a duration/);
  });
});
