/**
 * LineLocator on literal file contents: each row found as a whole line after the one before, its
 * line counted; the first quote or blank line (or a row not in the file) handed over by line.
 * And pushdownSql's condition, judged by DuckDB itself, keeping every row ImportFilter takes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineLocator } from '../../src/import/linelocate.js';
import { pushdownSql } from '../../src/import/pushdown.js';
import { ImportFilter, type ImportFilterSpec } from '../../src/import/filter.js';
import { emptyLogRecord } from '../../src/import/records.js';

const dir = mkdtempSync(join(tmpdir(), 'portreport-linelocate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function locateAll(content: string, rows: string[]): Promise<[Array<number | string>, number | null]> {
  const file = join(dir, `f${n++}.csv`);
  writeFileSync(file, content, 'latin1');
  const fd = openSync(file, 'r');
  try {
    const l = new LineLocator(fd);
    const out: Array<number | string> = [];
    for (const r of rows) {
      const at = await l.locate(Buffer.from(r, 'latin1'));
      if ('irregular' in at) return [[...out, `irregular ${at.irregular}`], null];
      out.push(at.line);
    }
    return [out, await l.rest()];
  } finally { closeSync(fd); }
}

describe('LineLocator', () => {
  it('finds rows as whole lines, in order, duplicates one after the other', async () => {
    expect(await locateAll('h\na,1\nxa,1\na,1\nb,2\na,1\n', ['a,1', 'a,1', 'a,1'])).toEqual([[2, 4, 6], null]);
    expect(await locateAll('h\na\nb\nc', ['c'])).toEqual([[4], null]); // no newline at the end
  });

  it('hands over at the first line with a quote or blank, before or at the row, and says so after the last row', async () => {
    expect(await locateAll('h\na\n"q"\nb\n', ['a', 'b'])).toEqual([[2, 'irregular 3'], null]);
    expect(await locateAll('h\na\nx"y\n', ['a', 'x"y'])).toEqual([[2, 'irregular 3'], null]);
    expect(await locateAll('h\na\n\nb\n', ['b'])).toEqual([['irregular 3'], null]);
    expect(await locateAll('h\na\nb\nc\n\nd\n', ['a'])).toEqual([[2], 5]);
    expect(await locateAll('h\na\nb\n"c\n', [])).toEqual([[], 4]);
  });

  it('a row that is not in the file hands over right after the last row found', async () => {
    expect(await locateAll('h\na\nb\nc\n', ['a', 'zzz'])).toEqual([[2, 'irregular 3'], null]);
  });

  it('counts lines across read chunks (4 MiB) and long files', async () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `row,${i},${'x'.repeat(i % 50)}`);
    const [found, rest] = await locateAll(`h\n${lines.join('\n')}\n`, [lines[0], lines[99_999], lines[199_999]]);
    expect(found).toEqual([2, 100_001, 200_001]);
    expect(rest).toBeNull();
  });
});

describe('pushdownSql keeps every row the filter takes', () => {
  it('on names, users, ports, protocols and times written every way the importer reads', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const names = ['nginx', 'NGINX', "'=nginx", 'pythön', 'py%_\\thon', 'curl', 'a"b', ''];
    const paths = ['/usr/sbin/nginx', '/opt/python3.11', '/x/NgInX (deleted)', 'C:\\tools\\curl.exe', ''];
    const ports = ['443', '0443', ' 443', '443.0', '4.43e2', '0x1bb', '80', ''];
    // An offset time sorts after 00:00:01 as text though it is midnight UTC: the condition must keep it on its own.
    const times = ['2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.999Z', '2026-11-01T00:00:01Z', '2026-11-01T00:00:00.5Z', '2026-11-01T01:00:00.000+01:00', ''];
    const rows: string[][] = [];
    for (const name of names) for (const path of paths) for (const port of ports) for (const time of times) rows.push([name, path, port, time, name.length % 2 ? 'TCP' : 'UDP']);
    await c.run('CREATE TABLE t ("ProcessName" VARCHAR, "ExecutablePath" VARCHAR, "LocalPort" VARCHAR, "Time" VARCHAR, "Protocol" VARCHAR, "UserName" VARCHAR, i INTEGER)');
    const a = await c.createAppender('t');
    rows.forEach((r, i) => { for (const v of r) { if (v === '') a.appendNull(); else a.appendVarchar(v); } if (r[0] === '') a.appendNull(); else a.appendVarchar(r[0]); a.appendInteger(i); a.endRow(); });
    a.closeSync();
    const specs: ImportFilterSpec[] = [
      { processName: ['nginx'] }, { processName: ['PY*'] }, { processName: ['py%_\\thon'] }, { processName: ['curl'] }, { userName: ['?ginx'] },
      { localPort: [443] }, { protocol: ['TCP'], localPort: [80] }, { after: '2026-11-01T00:00:00.500Z' }, { before: '2026-11-01T00:00:01.000Z' },
    ];
    const header = ['ProcessName', 'ExecutablePath', 'LocalPort', 'Time', 'Protocol', 'UserName'];
    for (const spec of specs) {
      const sql = pushdownSql(spec, header);
      expect(sql).not.toBeNull();
      const kept = new Set((await c.runAndReadAll(`SELECT i FROM t WHERE ${sql}`)).getRows().map((r) => Number(r[0])));
      const f = new ImportFilter(spec);
      let taken = 0;
      rows.forEach((r, i) => {
        const rec = { ...emptyLogRecord('PortReport/1', 'x', i), ProcessName: r[0].replace(/^'/, '') || null, ExecutablePath: r[1] || null,
          LocalPort: r[2] === '' ? null : +r[2], Time: r[3] || null, Protocol: r[4], UserName: r[0].replace(/^'/, '') || null };
        if (f.matches(rec)) { taken++; expect(kept.has(i), `${JSON.stringify(spec)} ${JSON.stringify(r)}`).toBe(true); }
      });
      expect(taken, JSON.stringify(spec)).toBeGreaterThan(0);
      expect(kept.size, JSON.stringify(spec)).toBeLessThan(rows.length);
    }
    c.closeSync();
    db.closeSync();
  });
});
