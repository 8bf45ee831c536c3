import { describe, expect, it } from 'vitest';
import { FastCsvReader } from '../../src/import/fastcsv.js';

function read(chunks: string[]): { rows: [string[], number][]; errors: [number, string][] } {
  const rows: [string[], number][] = [];
  const errors: [number, string][] = [];
  const r = new FastCsvReader((c, l) => rows.push([c, l]), (l, why) => errors.push([l, why]));
  for (const c of chunks) r.push(Buffer.from(c, 'latin1'));
  r.end();
  return { rows, errors };
}

describe('FastCsvReader', () => {
  it('reads plain and quoted cells, doubled quotes, commas, CRLF and LF, across chunk borders', () => {
    const { rows, errors } = read(['a,b,c\r\n1,"x,""y""",3\n', '4,"multi\r\nline', '\nend",6\r\n7,8,']);
    expect(errors).toEqual([]);
    expect(rows).toEqual([[['a', 'b', 'c'], 1], [['1', 'x,"y"', '3'], 2], [['4', 'multi\r\nline\nend', '6'], 3], [['7', '8', ''], 6]]);
  });

  it('keeps bytes 0x80-0xFF as latin1 characters', () => {
    const r: string[][] = [];
    const rd = new FastCsvReader((c) => r.push(c), () => {});
    rd.push(Buffer.from([0x61, 0xff, 0x2c, 0x22, 0x80, 0x0a, 0x22, 0x0a]));
    rd.end();
    expect(r).toEqual([['a\xff', '\x80\n']]);
  });

  it('reports a quote that never closes, and a stray quote, with the record\'s first line', () => {
    expect(read(['a,b\n1,"open\n2,3\n']).errors).toEqual([[2, 'a quoted field is not closed before the end of the file']]);
    const { rows, errors } = read(['a,b\nx"y,1\n"q"z,2\nok,3\n']);
    expect(errors.map((e) => e[0])).toEqual([2, 3]);
    expect(rows.map((r) => r[1])).toEqual([1, 4]);
  });

  it('an unterminated quote costs one record, in linear time: the following lines are read again, each alone', () => {
    const n = 80_000;
    const body = Array.from({ length: n }, (_, i) => `${i},row`).join('\n');
    const t0 = performance.now();
    const { rows, errors } = read([`a,b\nbad,"open\n${body}\n`]);
    const ms = performance.now() - t0;
    expect(errors).toEqual([[2, expect.stringMatching(/quoted field runs past \d+ bytes|not closed before the end/)]]);
    expect(rows.length).toBe(1 + n);
    expect(rows.at(-1)).toEqual([[String(n - 1), 'row'], n + 2]);
    // 80,000 lines took 279 s when each line re-parsed the open record; linear, it is well under a second.
    expect(ms).toBeLessThan(5000);
  });

  it('bounds a record and a line: past the bound it is reported and skipped, the rest kept', () => {
    const rows: [string[], number][] = [];
    const errors: [number, string][] = [];
    const r = new FastCsvReader((c, l) => rows.push([c, l]), (l, why) => errors.push([l, why]), 1000);
    r.push(Buffer.from('a,b\n1,"' + 'x\n'.repeat(600) + '"\n'));
    for (let i = 0; i < 50; i++) r.push(Buffer.from('y'.repeat(100)));
    r.push(Buffer.from('\nlast,row\n'));
    r.end();
    expect(errors[0]).toEqual([2, 'a quoted field runs past 1000 bytes (an unterminated quote?)']);
    expect(errors.at(-1)).toEqual([603, 'a line is longer than 1000 bytes; skipped']);
    expect(rows.at(-1)).toEqual([['last', 'row'], 604]);
    expect(rows[0]).toEqual([['a', 'b'], 1]);
  });
});
