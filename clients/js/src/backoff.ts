/**
 * Exponential backoff with full jitter: the wait before attempt `n` (from 0) is uniformly random in
 * `[0, min(maxMs, initialMs × 2ⁿ))`, so the clients of a lost instance do not return in a thundering herd.
 */
export interface Backoff {
  /** The ceiling of the first wait, in milliseconds (> 0). */
  readonly initialMs: number;
  /** The largest ceiling, in milliseconds (>= initialMs). */
  readonly maxMs: number;
}

/** 250 ms, doubling up to 30 s: the Java client's `Backoff.defaults()`. */
export const DEFAULT_BACKOFF: Backoff = Object.freeze({ initialMs: 250, maxMs: 30_000 });

/** Checks a backoff's bounds, with the Java client's messages. */
export function checkBackoff(backoff: Backoff): Backoff {
  if (!(backoff.initialMs > 0)) {
    throw new RangeError(`initialMs: ${backoff.initialMs} (expected: > 0)`);
  }
  if (!(backoff.maxMs >= backoff.initialMs)) {
    throw new RangeError(`maxMs: ${backoff.maxMs} (expected: >= initialMs ${backoff.initialMs})`);
  }
  return backoff;
}

/** `min(maxMs, initialMs × 2^attempt)`. */
export function ceilingMs(backoff: Backoff, attempt: number): number {
  const exponent = Math.min(Math.max(attempt, 0), 1023);
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** exponent);
}

/** A random wait before attempt `attempt`, in `[0, ceilingMs(attempt))`. */
export function delayMs(backoff: Backoff, attempt: number, random: () => number = Math.random): number {
  return random() * ceilingMs(backoff, attempt);
}
