package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(5));

    @Test
    void ceilingDoublesFromInitialUpToMax() {
        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(3200));
        assertThat(backoff.ceiling(6)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.ceiling(1000)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void delaysAreFullJitterSpreadOverZeroToTheCeiling() {
        Random random = new Random(42);
        Set<Long> tenths = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            Duration delay = backoff.delay(3, random);
            assertThat(delay).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Duration.ofMillis(800));
            tenths.add(delay.toMillis() / 80);
        }
        assertThat(tenths).as("every tenth of [0, 800 ms) is hit").hasSize(10);
    }

    @Test
    void refusesBoundsThatMakeNoSense() {
        assertThatThrownBy(() -> Backoff.of(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessage("initial: 'PT0S' (expected: > 0)");
        assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("max: 'PT1S' (expected: >= initial PT2S)");
    }
}
