/** ISO-8601 to epoch ms; a time without an offset (Port Reporter 1.x local time) is read as UTC. */
export function isoToMs(s: string): number | null {
  const t = Date.parse(/[zZ]$|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);
  return Number.isNaN(t) ? null : t;
}
