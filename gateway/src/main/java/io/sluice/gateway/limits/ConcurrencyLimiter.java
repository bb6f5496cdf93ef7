package io.sluice.gateway.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** At most so many things open at once per key (connections per client IP); keys at zero are forgotten. */
final class ConcurrencyLimiter<K> {
    private final int max;
    private final Map<K, Integer> open = new ConcurrentHashMap<>();

    ConcurrencyLimiter(int max) {
        this.max = max;
    }

    /** Opens one for the key, unless it already has the maximum. */
    boolean tryAcquire(K key) {
        boolean[] acquired = new boolean[1];
        open.compute(key, (k, count) -> {
            int n = count == null ? 0 : count;
            acquired[0] = n < max;
            return acquired[0] ? n + 1 : count;
        });
        return acquired[0];
    }

    /** Closes one for the key. */
    void release(K key) {
        open.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
    }

    /** How many are open for the key. */
    int open(K key) {
        return open.getOrDefault(key, 0);
    }
}
