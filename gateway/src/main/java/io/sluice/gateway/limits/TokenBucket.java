package io.sluice.gateway.limits;

import io.sluice.spi.Rate;

/**
 * A token bucket on an injected clock (nanoseconds). It starts full; each event takes a token; tokens come back
 * evenly over the rate's period, up to the rate's count.
 */
final class TokenBucket {
    private final double capacity;
    private final double tokensPerNano;
    private double tokens;
    private long updated;

    TokenBucket(Rate rate, long now) {
        this.capacity = rate.count();
        this.tokensPerNano = rate.count() / (double) rate.period().toNanos();
        this.tokens = capacity;
        this.updated = now;
    }

    /** Takes a token if there is one. */
    synchronized boolean tryTake(long now) {
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Takes a token, or leaves the bucket empty when there is none. */
    synchronized void take(long now) {
        refill(now);
        tokens = Math.max(0, tokens - 1);
    }

    /** Whether a token is there, without taking it. */
    synchronized boolean hasToken(long now) {
        refill(now);
        return tokens >= 1;
    }

    /** Whether the bucket has refilled completely: it then remembers nothing and can be forgotten. */
    synchronized boolean isFull(long now) {
        refill(now);
        return tokens >= capacity;
    }

    private void refill(long now) {
        if (now > updated) {
            tokens = Math.min(capacity, tokens + (now - updated) * tokensPerNano);
            updated = now;
        }
    }
}
