package io.sluice.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Rate;
import io.sluice.spi.RateLimiters;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the contract cannot see from outside: buckets refill on the clock, and full ones are forgotten. */
class LocalRateLimitersTest {
    private final FakeClock clock = new FakeClock();
    private final LocalRateLimiters store = new LocalRateLimiters(clock);
    private final RateLimiters.KeyedRateLimiter limiter = store.limiter("test", new Rate(3, Duration.ofSeconds(3)));

    private boolean take(String key) {
        return limiter.tryAcquire(key).toCompletableFuture().join();
    }

    @Test
    void refillsOneTokenPerShareOfThePeriodAndNeverAboveTheCount() {
        for (int i = 0; i < 3; i++) {
            assertThat(take("a")).isTrue();
        }
        assertThat(take("a")).isFalse();
        clock.advance(Duration.ofMillis(999));
        assertThat(take("a")).as("not yet one token back").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(take("a")).isTrue();
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertThat(take("a")).isTrue();
        }
        assertThat(take("a")).isFalse();
    }

    @Test
    void forgetsOnlyBucketsThatRefilledCompletely() {
        RateLimiters.KeyedRateLimiter perMinute = store.limiter("minute", new Rate(3, Duration.ofMinutes(1)));
        perMinute.tryAcquire("light");
        clock.advance(Duration.ofSeconds(20));
        for (int i = 0; i < 3; i++) {
            perMinute.tryAcquire("busy");
        }
        clock.advance(LocalRateLimiters.SWEEP_EVERY.minusSeconds(10));
        perMinute.tryAcquire("new");
        assertThat(store.remembered("minute"))
                .as("light refilled and was forgotten; busy and new are remembered")
                .isEqualTo(2);
        // 20 s after busy emptied its bucket it has one token back, not the three of a new bucket.
        assertThat(perMinute.tryAcquire("busy").toCompletableFuture().join()).isTrue();
        assertThat(perMinute.tryAcquire("busy").toCompletableFuture().join())
                .as("busy's bucket was kept")
                .isFalse();
    }
}
