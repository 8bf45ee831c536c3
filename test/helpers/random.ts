/** A seeded generator for tests that draw random moments or inputs: the seed is printed and can be replayed. */
export function seeded(seed = Number(process.env.PORTREPORT_SEED ?? Math.floor(Math.random() * 2 ** 31))): { seed: number; next: () => number } {
  let s = seed >>> 0 || 1;
  // mulberry32
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { seed, next };
}
