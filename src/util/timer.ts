/**
 * Timers past Node's limit: setTimeout and setInterval fire after 1 ms for any delay above
 * 2^31-1 ms (24.8 days). longTimeout chains timers so a delay of any length waits that long.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer { clear(): void }

/** Call fn once after ms (any finite length); unref'd like the timers it replaces when asked. */
export function longTimeout(fn: () => void, ms: number, unref = false): LongTimer {
  const due = Date.now() + ms;
  let t: NodeJS.Timeout;
  const arm = () => {
    const left = due - Date.now();
    if (left <= 0) { fn(); return; }
    t = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    if (unref) t.unref();
  };
  arm();
  return { clear: () => clearTimeout(t) };
}
