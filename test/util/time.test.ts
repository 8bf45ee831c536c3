import { describe, expect, it } from 'vitest';
import { userTimeToMs } from '../../src/util/time.js';

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
