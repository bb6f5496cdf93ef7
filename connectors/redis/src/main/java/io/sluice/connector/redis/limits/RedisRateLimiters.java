package io.sluice.connector.redis.limits;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.sluice.connector.redis.RedisConnection;
import io.sluice.spi.Rate;
import io.sluice.spi.RateLimiters;
import io.sluice.spi.SluiceException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RateLimiters} in Redis ({@code sluice.limits.store=redis}): one token bucket per limit and key for every
 * gateway on the same Redis, standalone or a Redis Cluster, so adding gateways does not multiply a limit.
 *
 * <p>The buckets are Bucket4j's, through its Lettuce integration ({@code LettuceBasedProxyManager}): each take is a
 * compare-and-swap of the bucket's state by a one-key Lua script, retried on conflict, so concurrent takes from any
 * number of gateways never take more tokens than the bucket holds. Each bucket is one Redis key,
 * {@code sluice:rl:{<name length>:<name>:<key>}}, its own hash tag, so buckets spread over a cluster's shards. A
 * bucket expires once it would have refilled completely (plus a margin), so idle keys vanish from Redis.
 *
 * <p>Refill is computed on each gateway's wall clock; gateways should run NTP. Redis unreachable: the stage fails
 * with {@link SluiceException} {@code unavailable}.
 */
public final class RedisRateLimiters implements RateLimiters {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiters.class);

    /** How long a full bucket stays in Redis before it expires: a full bucket and no bucket are the same. */
    static final Duration KEEP_FULL = Duration.ofSeconds(10);
    /** How long one take or release may wait for Redis, conflicts retried included. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final RedisConnection connection;
    private final boolean owned;
    private final AsyncProxyManager<Object> buckets;
    private final Map<String, Keyed> limiters = new ConcurrentHashMap<>();

    private RedisRateLimiters(RedisConnection connection, boolean owned) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.owned = owned;
        this.buckets = new Bucket4jLettuce.LettuceBasedProxyManagerBuilder<>(new LettuceApi(connection.commands()))
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_FULL))
                .requestTimeout(TIMEOUT)
                .build()
                .asAsync();
    }

    /** Buckets over a connection this store owns: {@link #close()} closes it. */
    public static RedisRateLimiters owning(RedisConnection connection) {
        return new RedisRateLimiters(connection, true);
    }

    /** Buckets over a connection the caller keeps and closes. */
    public static RedisRateLimiters over(RedisConnection connection) {
        return new RedisRateLimiters(connection, false);
    }

    @Override
    public KeyedRateLimiter limiter(String name, Rate rate) {
        Objects.requireNonNull(name, "name");
        if (rate.isOff()) {
            throw new IllegalArgumentException("rate: off (expected: a rate: a limit that is off needs no buckets)");
        }
        Keyed keyed = limiters.computeIfAbsent(name, n -> new Keyed(n, rate));
        if (!keyed.rate.equals(rate)) {
            throw new IllegalArgumentException(
                    "rate of " + name + ": " + rate + " (expected: " + keyed.rate + ", as it was first opened with)");
        }
        return keyed;
    }

    /** The Redis key of a bucket: its own hash tag; the name's length keeps names and keys apart. */
    static byte[] redisKey(String name, String key) {
        return ("sluice:rl:{" + name.length() + ":" + name + ":" + key + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (owned) {
            connection.close();
        }
    }

    private final class Keyed implements KeyedRateLimiter {
        private final String name;
        private final Rate rate;
        private final BucketConfiguration configuration;

        Keyed(String name, Rate rate) {
            this.name = name;
            this.rate = rate;
            this.configuration = BucketConfiguration.builder()
                    .addLimit(limit -> limit.capacity(rate.count()).refillGreedy(rate.count(), rate.period()))
                    .build();
        }

        private AsyncBucketProxy bucket(String key) {
            return buckets.builder().build(redisKey(name, key), configuration);
        }

        @Override
        public CompletionStage<Boolean> tryAcquire(String key) {
            return guarded(() -> bucket(key).tryConsume(1), "acquire");
        }

        @Override
        public CompletionStage<Void> release(String key) {
            // addTokens never fills above the capacity; a bucket that expired meanwhile comes back full.
            return guarded(() -> bucket(key).addTokens(1), "release");
        }

        private <T> CompletionStage<T> guarded(java.util.function.Supplier<CompletableFuture<T>> call, String op) {
            CompletableFuture<T> future;
            try {
                future = call.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(unavailable(op, e));
            }
            return future.orTimeout(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS)
                    .handle((value, failure) -> {
                        if (failure != null) {
                            throw unavailable(op, failure);
                        }
                        return value;
                    });
        }

        /** Logged at DEBUG only: the gateway answers and counts the failed request; an outage would flood. */
        private SluiceException unavailable(String op, Throwable failure) {
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            LOG.atDebug()
                    .addKeyValue("event", "redis_limits_unavailable")
                    .addKeyValue("limit", name)
                    .addKeyValue("operation", op)
                    .addKeyValue("reason", cause.getClass().getSimpleName() + ": " + cause.getMessage())
                    .log("Redis rate limiter store unreachable; answering unavailable");
            return SluiceException.unavailable("rate limiter store (Redis) unavailable during " + op, cause);
        }
    }
}
