package io.sluice.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the wait before attempt {@code n} (counting from 0) is uniformly random
 * in {@code [0, min(max, initial × 2ⁿ))}. Full jitter spreads the clients of a lost instance over the whole
 * window, so they do not come back to the next one in a thundering herd.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.of(Duration.ofMillis(250), Duration.ofSeconds(30));
 * }</pre>
 *
 * @param initial the ceiling of the first wait
 * @param max     the largest ceiling, however many attempts failed
 */
public record Backoff(Duration initial, Duration max) {

    /** Checks the bounds. */
    public Backoff {
        if (initial == null || initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial: '" + initial + "' (expected: > 0)");
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max: '" + max + "' (expected: >= initial " + initial + ")");
        }
    }

    /** A backoff from {@code initial} up to {@code max}. */
    public static Backoff of(Duration initial, Duration max) {
        return new Backoff(initial, max);
    }

    /** 250 ms, doubling up to 30 s. */
    public static Backoff defaults() {
        return new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30));
    }

    /** The ceiling of the wait before attempt {@code attempt}: {@code min(max, initial × 2^attempt)}. */
    public Duration ceiling(int attempt) {
        long initialNanos = initial.toNanos();
        long maxNanos = max.toNanos();
        // Shifting past the bits of max would overflow; by then the ceiling is max anyway.
        int shift = Math.min(Math.max(attempt, 0), 62);
        long ceiling = initialNanos > (maxNanos >> shift) ? maxNanos : initialNanos << shift;
        return Duration.ofNanos(Math.min(ceiling, maxNanos));
    }

    /** A random wait before attempt {@code attempt}, in {@code [0, ceiling(attempt))}. */
    public Duration delay(int attempt, RandomGenerator random) {
        long ceiling = ceiling(attempt).toNanos();
        return Duration.ofNanos(ceiling <= 0 ? 0 : random.nextLong(ceiling));
    }
}
