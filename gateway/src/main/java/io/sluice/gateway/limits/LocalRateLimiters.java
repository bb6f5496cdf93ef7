package io.sluice.gateway.limits;

import io.github.bucket4j.Bucket;
import io.sluice.spi.Rate;
import io.sluice.spi.RateLimiters;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The default {@link RateLimiters} ({@code sluice.limits.store=local}): Bucket4j buckets in this process's memory.
 * Each gateway of a cluster then enforces its own share: N gateways let N times a limit through. A bucket is made on
 * its key's first use and forgotten once it has refilled completely, so memory follows the keys active within one
 * period rather than every key ever seen.
 *
 * <pre>{@code
 * RateLimiters store = new LocalRateLimiters();
 * store.limiter("prekey-requests", Rate.parse("key", "10/1m")).tryAcquire(userId);
 * }</pre>
 */
public final class LocalRateLimiters implements RateLimiters {
    /** How often each limiter forgets its full buckets, checked as it is used. */
    static final Duration SWEEP_EVERY = Duration.ofSeconds(30);

    private final LongSupplier clock;
    private final Map<String, Keyed> limiters = new ConcurrentHashMap<>();

    /** On the system's monotonic clock. */
    public LocalRateLimiters() {
        this(System::nanoTime);
    }

    /** On a clock of nanoseconds, for tests. */
    public LocalRateLimiters(LongSupplier nanoClock) {
        this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    @Override
    public KeyedRateLimiter limiter(String name, Rate rate) {
        Objects.requireNonNull(name, "name");
        if (rate.isOff()) {
            throw new IllegalArgumentException("rate: off (expected: a rate: a limit that is off needs no buckets)");
        }
        Keyed keyed = limiters.computeIfAbsent(name, n -> new Keyed(rate));
        if (!keyed.rate.equals(rate)) {
            throw new IllegalArgumentException(
                    "rate of " + name + ": " + rate + " (expected: " + keyed.rate + ", as it was first opened with)");
        }
        return keyed;
    }

    /** How many buckets the limiter of this name remembers: for tests of forgetting. */
    int remembered(String name) {
        Keyed keyed = limiters.get(name);
        return keyed == null ? 0 : keyed.buckets.size();
    }

    private final class Keyed implements KeyedRateLimiter {
        private final Rate rate;
        private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
        private final AtomicLong nextSweep;

        Keyed(Rate rate) {
            this.rate = rate;
            this.nextSweep = new AtomicLong(clock.getAsLong() + SWEEP_EVERY.toNanos());
        }

        @Override
        public CompletionStage<Boolean> tryAcquire(String key) {
            sweepIfDue();
            boolean[] taken = new boolean[1];
            // Inside compute, so that a sweep cannot forget the bucket between its creation and the take.
            buckets.compute(key, (k, bucket) -> {
                Bucket b = bucket == null ? Buckets.of(rate, clock) : bucket;
                taken[0] = b.tryConsume(1);
                return b;
            });
            return CompletableFuture.completedFuture(taken[0]);
        }

        @Override
        public CompletionStage<Void> release(String key) {
            // A bucket already forgotten had refilled completely: there is nothing to give back to.
            buckets.computeIfPresent(key, (k, bucket) -> {
                bucket.addTokens(1);
                return bucket;
            });
            return CompletableFuture.completedFuture(null);
        }

        private void sweepIfDue() {
            long now = clock.getAsLong();
            long due = nextSweep.get();
            if (now - due >= 0 && nextSweep.compareAndSet(due, now + SWEEP_EVERY.toNanos())) {
                for (String key : buckets.keySet()) {
                    buckets.computeIfPresent(
                            key, (k, bucket) -> bucket.getAvailableTokens() >= rate.count() ? null : bucket);
                }
            }
        }
    }
}
