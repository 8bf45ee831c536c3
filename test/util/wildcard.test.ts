import { describe, expect, it } from 'vitest';
import { wildcard } from '../../src/util/wildcard.js';

describe('wildcard', () => {
  it('matches * and ? against the whole name, case-insensitively, newlines included', () => {
    expect(wildcard('svc*').test('SVCHOST.exe')).toBe(true);
    expect(wildcard('s?chost.exe').test('svchost.exe')).toBe(true);
    expect(wildcard('*.exe').test('a.exe.bak')).toBe(false);
    expect(wildcard('a*b*c').test('a\nxb\nyc')).toBe(true);
    expect(wildcard('').test('')).toBe(true);
    expect(wildcard('**').test('')).toBe(true);
    expect(wildcard('a.b').test('axb')).toBe(false); // no regular-expression meaning
    expect(wildcard('[x]').test('[X]')).toBe(true);
  });

  it('takes linear time on patterns that made regular expressions backtrack for minutes', () => {
    const p = wildcard('*a'.repeat(13) + '*b');
    const s = 'a'.repeat(50_000);
    const t0 = performance.now();
    expect(p.test(s)).toBe(false);
    expect(wildcard('x'.repeat(40_000)).test('x'.repeat(40_000))).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('processMatches (-ProcessName)', () => {
  it('takes the name Get-Process shows or the executable file name, Unix and Windows paths', async () => {
    const { processMatches, fileName, wildcard } = await import('../../src/util/wildcard.js');
    expect(processMatches([wildcard('python3')], 'python3', '/usr/bin/python3.11')).toBe(true);
    expect(processMatches([wildcard('python3.11')], 'python3', '/usr/bin/python3.11')).toBe(true);
    expect(processMatches([wildcard('svchost*')], null, 'C:\\WINDOWS\\system32\\svchost.exe')).toBe(true);
    expect(processMatches([wildcard('perl')], 'python3', '/usr/bin/python3.11')).toBe(false);
    expect(fileName('/opt/a\\b')).toBe('a\\b');
  });
});
