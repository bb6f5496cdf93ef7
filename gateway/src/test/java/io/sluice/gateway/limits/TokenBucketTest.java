package io.sluice.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Rate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private final FakeClock clock = new FakeClock();
    private final TokenBucket bucket = new TokenBucket(new Rate(3, Duration.ofSeconds(3)), clock.getAsLong());

    @Test
    void letsABurstOfTheRatesCountThrough() {
        assertThat(bucket.tryTake(clock.getAsLong())).isTrue();
        assertThat(bucket.tryTake(clock.getAsLong())).isTrue();
        assertThat(bucket.tryTake(clock.getAsLong())).isTrue();
        assertThat(bucket.tryTake(clock.getAsLong())).isFalse();
    }

    @Test
    void refillsEvenlyOverThePeriod() {
        for (int i = 0; i < 3; i++) {
            bucket.tryTake(clock.getAsLong());
        }
        clock.advance(Duration.ofMillis(999));
        assertThat(bucket.tryTake(clock.getAsLong()))
                .as("not yet one token back")
                .isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(bucket.tryTake(clock.getAsLong())).isTrue();
        assertThat(bucket.tryTake(clock.getAsLong())).isFalse();
    }

    @Test
    void neverHoldsMoreThanItsCount() {
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryTake(clock.getAsLong())).isTrue();
        }
        assertThat(bucket.tryTake(clock.getAsLong())).isFalse();
    }

    @Test
    void isFullOnlyOnceEveryTokenIsBack() {
        bucket.take(clock.getAsLong());
        assertThat(bucket.isFull(clock.getAsLong())).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(bucket.isFull(clock.getAsLong())).isTrue();
    }

    @Test
    void hasTokenDoesNotSpendIt() {
        for (int i = 0; i < 10; i++) {
            assertThat(bucket.hasToken(clock.getAsLong())).isTrue();
        }
    }
}
