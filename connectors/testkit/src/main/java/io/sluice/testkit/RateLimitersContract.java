package io.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.spi.Rate;
import io.sluice.spi.RateLimiters;
import io.sluice.spi.RateLimiters.KeyedRateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link RateLimiters} store: atomic under concurrency, release, refill, and buckets kept apart by
 * key and by limit name. A store proves itself by extending this class:
 *
 * <pre>{@code
 * class RedisRateLimitersIT extends RateLimitersContract {
 *     protected RateLimiters store() { return STORE; }
 * }
 * }</pre>
 *
 * Each test uses limit names of its own, so a store shared between tests (a Redis server) needs no flushing.
 */
public abstract class RateLimitersContract {

    /** The store under test, ready to use. */
    protected abstract RateLimiters store();

    private static String fresh(String name) {
        return "contract-" + name + "-" + UUID.randomUUID();
    }

    private static boolean take(KeyedRateLimiter limiter, String key) {
        return limiter.tryAcquire(key).toCompletableFuture().join();
    }

    private static long granted(KeyedRateLimiter limiter, String key, int attempts) {
        long granted = 0;
        for (int i = 0; i < attempts; i++) {
            if (take(limiter, key)) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void aFullBucketGrantsItsCountThenRefuses() {
        KeyedRateLimiter limiter = store().limiter(fresh("burst"), new Rate(5, Duration.ofHours(1)));
        assertThat(granted(limiter, "k", 8)).isEqualTo(5);
    }

    @Test
    void concurrentAcquisitionsNeverGrantMoreThanTheBucketHolds() throws Exception {
        int bucket = 10;
        int callers = 200;
        KeyedRateLimiter limiter = store().limiter(fresh("concurrent"), new Rate(bucket, Duration.ofHours(1)));
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(32)) {
            List<CompletableFuture<CompletableFuture<Boolean>>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                calls.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                start.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return limiter.tryAcquire("k").toCompletableFuture();
                        },
                        threads));
            }
            start.countDown();
            for (var call : calls) {
                answers.add(call.get(30, TimeUnit.SECONDS));
            }
        }
        long granted = 0;
        for (CompletableFuture<Boolean> answer : answers) {
            if (answer.get(30, TimeUnit.SECONDS)) {
                granted++;
            }
        }
        assertThat(granted).isEqualTo(bucket);
    }

    @Test
    void aReleasedTokenCanBeTakenAgain() {
        KeyedRateLimiter limiter = store().limiter(fresh("release"), new Rate(2, Duration.ofHours(1)));
        assertThat(granted(limiter, "k", 2)).isEqualTo(2);
        assertThat(take(limiter, "k")).isFalse();
        limiter.release("k").toCompletableFuture().join();
        assertThat(take(limiter, "k")).isTrue();
        assertThat(take(limiter, "k")).isFalse();
    }

    @Test
    void releaseNeverFillsABucketAboveItsCount() {
        KeyedRateLimiter limiter = store().limiter(fresh("overfill"), new Rate(2, Duration.ofHours(1)));
        for (int i = 0; i < 5; i++) {
            limiter.release("k").toCompletableFuture().join();
        }
        assertThat(granted(limiter, "k", 5)).isEqualTo(2);
    }

    @Test
    void anEmptiedBucketRefillsOverItsPeriod() {
        KeyedRateLimiter limiter = store().limiter(fresh("refill"), new Rate(2, Duration.ofSeconds(1)));
        assertThat(granted(limiter, "k", 3)).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> take(limiter, "k"));
    }

    @Test
    void keysHaveBucketsOfTheirOwn() {
        KeyedRateLimiter limiter = store().limiter(fresh("keys"), new Rate(1, Duration.ofHours(1)));
        assertThat(take(limiter, "a")).isTrue();
        assertThat(take(limiter, "a")).isFalse();
        assertThat(take(limiter, "b")).isTrue();
    }

    @Test
    void limitsOfOtherNamesNeverShareABucketForTheSameKey() {
        KeyedRateLimiter first = store().limiter(fresh("first"), new Rate(1, Duration.ofHours(1)));
        KeyedRateLimiter second = store().limiter(fresh("second"), new Rate(1, Duration.ofHours(1)));
        assertThat(take(first, "same")).isTrue();
        assertThat(take(first, "same")).isFalse();
        assertThat(take(second, "same")).isTrue();
    }

    @Test
    void theSameNameOpenedTwiceSharesItsBuckets() {
        String name = fresh("shared");
        KeyedRateLimiter one = store().limiter(name, new Rate(2, Duration.ofHours(1)));
        KeyedRateLimiter other = store().limiter(name, new Rate(2, Duration.ofHours(1)));
        assertThat(take(one, "k")).isTrue();
        assertThat(take(other, "k")).isTrue();
        assertThat(take(one, "k"))
                .as("as two gateways of one cluster share them")
                .isFalse();
    }
}
