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
