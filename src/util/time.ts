/** ISO-8601 to epoch ms; a time without an offset (Port Reporter 1.x local time) is read as UTC. */
export function isoToMs(s: string): number | null {
  const t = Date.parse(/[zZ]$|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);
  return Number.isNaN(t) ? null : t;
}

/** The ISO-8601 form our logs write (offset optional): the one both analysis engines accept. */
export const ISO_TIME_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})?$';
const ISO_TIME = new RegExp(ISO_TIME_PATTERN);
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether a log's time cell is a real ISO-8601 time (no 30 February, no hour 25), as DuckDB's cast judges it. */
export function isValidIsoTime(s: string): boolean {
  const shaped = isOurTimeShape(s);
  if (!shaped && !ISO_TIME.test(s)) return false;
  const n = (at: number, len: number) => { let v = 0; for (let i = at; i < at + len; i++) v = v * 10 + s.charCodeAt(i) - 48; return v; };
  const y = n(0, 4), mo = n(5, 2), d = n(8, 2), h = n(11, 2), mi = n(14, 2), se = n(17, 2);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && !leap ? 28 : DAYS[mo - 1]) || h > 23 || mi > 59 || se > 59) return false;
  // Every time of this shape whose fields are in range is one Date.parse reads (any year 0000-9999).
  return shaped || isoToMs(s) !== null;
}

/** The shape our logs write, 2026-11-01T00:00:00.000Z, tested by character (a regular expression and Date.parse cost more, once a row). */
function isOurTimeShape(s: string): boolean {
  if (s.length !== 24 || s.charCodeAt(23) !== 90) return false;
  for (let i = 0; i < 23; i++) {
    const c = s.charCodeAt(i);
    const want = TIME_SHAPE.charCodeAt(i);
    if (want === 48 ? c < 48 || c > 57 : c !== want) return false;
  }
  return true;
}
/** '0' where a digit goes. */
const TIME_SHAPE = '0000-00-00T00:00:00.000';

const USER_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:\d{2})?$/i;

/**
 * A time a person typed (--after, --before) to epoch ms, read as the module reads it: ISO-8601
 * only (2026-11-28, 2026-11-28T08:00, 2026-11-28 08:00:00.5, with Z, an offset or no zone), no
 * zone meaning this computer's local time. Null for anything else (03.12.2026: March or
 * December?), and for dates that do not exist.
 */
export function userTimeToMs(text: string): number | null {
  const m = USER_TIME.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && !leap ? 28 : DAYS[mo - 1]) || h > 23 || mi > 59 || se > 59) return null;
  if (!m[8]) return new Date(y, mo - 1, d, h, mi, se, frac).getTime();
  const offset = m[8].toUpperCase() === 'Z' ? 0 : (m[8][0] === '-' ? -1 : 1) * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(4, 6)));
  return Date.UTC(y, mo - 1, d, h, mi, se, frac) - offset * 60_000;
}
