package io.sluice.gateway.limits;

import io.sluice.spi.Rate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per key (a client IP, a UserID), created on first use and forgotten by {@link #sweep()}
 * once full again, so memory follows the keys active within one period rather than every key ever seen.
 */
final class KeyedLimiter<K> {
    private final Rate rate;
    private final LongSupplier clock;
    private final Map<K, TokenBucket> buckets = new ConcurrentHashMap<>();

    KeyedLimiter(Rate rate, LongSupplier clock) {
        this.rate = rate;
        this.clock = clock;
    }

    /** Takes a token of this key's bucket if there is one. */
    boolean tryTake(K key) {
        long now = clock.getAsLong();
        boolean[] taken = new boolean[1];
        // Inside compute, so that a sweep cannot forget the bucket between its creation and the take.
        buckets.compute(key, (k, bucket) -> {
            TokenBucket b = bucket == null ? new TokenBucket(rate, now) : bucket;
            taken[0] = b.tryTake(now);
            return b;
        });
        return taken[0];
    }

    /** Takes a token of this key's bucket, or leaves it empty. */
    void take(K key) {
        long now = clock.getAsLong();
        buckets.compute(key, (k, bucket) -> {
            TokenBucket b = bucket == null ? new TokenBucket(rate, now) : bucket;
            b.take(now);
            return b;
        });
    }

    /** Whether this key's bucket has a token, without taking it. */
    boolean hasToken(K key) {
        TokenBucket bucket = buckets.get(key);
        return bucket == null || bucket.hasToken(clock.getAsLong());
    }

    /** Forgets full buckets; returns how many keys are still remembered. */
    int sweep() {
        long now = clock.getAsLong();
        for (K key : buckets.keySet()) {
            buckets.computeIfPresent(key, (k, bucket) -> bucket.isFull(now) ? null : bucket);
        }
        return buckets.size();
    }
}
