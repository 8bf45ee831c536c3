import { describe, expect, it } from 'vitest';
import { isValidIsoTime, userTimeToMs } from '../../src/util/time.js';

describe('userTimeToMs (--after, --before)', () => {
  it('reads ISO-8601 with a zone as that instant, and without one as local time', () => {
    expect(userTimeToMs('2026-11-28T08:00:00Z')).toBe(Date.UTC(2026, 10, 28, 8));
    expect(userTimeToMs('2026-11-28T08:00+05:30')).toBe(Date.UTC(2026, 10, 28, 2, 30));
    expect(userTimeToMs('2026-11-28 08:00')).toBe(new Date(2026, 10, 28, 8).getTime());
    expect(userTimeToMs('2026-11-28')).toBe(new Date(2026, 10, 28).getTime());
    expect(userTimeToMs('2026-11-28T08:00:00.250Z')).toBe(Date.UTC(2026, 10, 28, 8, 0, 0, 250));
  });
  it('refuses what is not ISO-8601 and dates that do not exist', () => {
    for (const s of ['03.12.2026', '12/03/2026', 'yesterday', '2026-02-30', '2026-11-28T25:00', '']) expect(userTimeToMs(s), s).toBeNull();
  });
});

describe('isValidIsoTime (a log\'s time cell)', () => {
  /** The rule as written before the character test: the pattern, the ranges, then Date.parse. */
  const reference = (s: string) => {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/.test(s)) return false;
    const [y, mo, d, h, mi, se] = [[0, 4], [5, 7], [8, 10], [11, 13], [14, 16], [17, 19]].map(([a, b]) => +s.slice(a, b));
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if (mo < 1 || mo > 12 || d < 1 || d > days[mo - 1] || h > 23 || mi > 59 || se > 59) return false;
    return !Number.isNaN(Date.parse(/[zZ]$|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`));
  };

  it('judges every time as the pattern, the calendar and Date.parse do', () => {
    const fixed = ['2026-11-01T00:00:00.000Z', '2028-02-29T23:59:59.999Z', '2026-02-29T00:00:00.000Z', '1900-02-29T00:00:00.000Z',
      '2000-02-29T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2026-11-01T24:00:00.000Z', '2026-13-01T00:00:00.000Z',
      '2026-00-10T00:00:00.000Z', '2026-11-00T00:00:00.000Z', '2026-11-01T00:60:00.000Z', '2026-11-01T00:00:60.000Z', '2026-11-01T00:00:00.000z',
      '2026-11-01T00:00:00.000+01:00', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00', '2026-11-01 00:00:00.000Z', '2026-1a-01T00:00:00.000Z',
      '2026-11-01T00:00:00.0000Z', '2026-11-01T00:00:00:000Z', '+026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z\n', ''];
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    const random = Array.from({ length: 20000 }, () => {
      const chars = [...fixed[rnd(3)]];
      for (let k = rnd(3); k >= 0; k--) chars[rnd(24)] = '0123456789-:.TZ+x'[rnd(17)];
      return chars.join('');
    });
    for (const s of [...fixed, ...random]) expect(isValidIsoTime(s), JSON.stringify(s)).toBe(reference(s));
    expect(random.filter(isValidIsoTime).length).toBeGreaterThan(1000);
    expect(random.filter((s) => !isValidIsoTime(s)).length).toBeGreaterThan(1000);
  });
});
