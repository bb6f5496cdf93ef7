package io.sluice.spi;

/**
 * Where the gateway keeps the token buckets of the limits that must hold across every gateway of a cluster:
 * failed logins, and prekey requests per requested user. The default keeps them in the process; a shared store
 * (Redis) keeps one bucket per key for the whole cluster, so that adding gateways does not multiply a limit.
 *
 * <pre>{@code
 * KeyedRateLimiter prekeys = limiters.limiter("prekey-requests", new Rate(10, Duration.ofMinutes(1)));
 * prekeys.tryAcquire(userId.toString()).thenAccept(allowed -> ...);
 * }</pre>
 *
 * Every implementation passes the test kit's {@code RateLimitersContract}.
 */
public interface RateLimiters extends AutoCloseable {

    /**
     * The buckets of one limit. Each key gets a bucket of {@code rate.count()} tokens, full at first, that refills
     * evenly over {@code rate.period()}.
     *
     * @param name names the limit; keys of different limits never share a bucket
     */
    KeyedRateLimiter limiter(String name, Rate rate);

    /** Releases the store's resources. */
    @Override
    default void close() {}

    /** The token buckets of one limit, by key. */
    interface KeyedRateLimiter {

        /**
         * Takes one token from the key's bucket, atomically: concurrent callers, in any process, never take more
         * tokens than the bucket holds.
         *
         * @return completes with {@code true} when a token was taken, {@code false} when the bucket is empty; fails
         *     with a {@link SluiceException} ({@link ErrorName#UNAVAILABLE}) when the store cannot be reached
         */
        java.util.concurrent.CompletionStage<Boolean> tryAcquire(String key);

        /**
         * Puts back one token taken by {@link #tryAcquire} (never above the bucket's size): for a reservation that
         * turned out free, such as a login that succeeded.
         */
        java.util.concurrent.CompletionStage<Void> release(String key);
    }
}
