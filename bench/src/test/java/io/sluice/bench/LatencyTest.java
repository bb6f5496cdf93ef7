package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyTest {

    @Test
    void percentilesAreInMillisecondsFromTheIntendedStart() {
        Latency latency = new Latency();
        for (int i = 1; i <= 1000; i++) {
            latency.record(0, i * 1_000_000L); // 1 ms .. 1000 ms
        }
        Latency.Summary summary = latency.drain();
        assertThat(summary.count()).isEqualTo(1000);
        assertThat(summary.p50()).isCloseTo(500, within(1.0));
        assertThat(summary.p99()).isCloseTo(990, within(1.0));
        assertThat(summary.p999()).isCloseTo(999, within(1.0));
        assertThat(summary.max()).isCloseTo(1000, within(1.0));
    }

    @Test
    void drainStartsAfreshAndAnEmptyIntervalHasNoPercentiles() {
        Latency latency = new Latency();
        latency.record(0, 5_000_000L);
        assertThat(latency.drain().count()).isEqualTo(1);
        Latency.Summary empty = latency.drain();
        assertThat(empty.count()).isZero();
        assertThat(empty.p99()).isNaN();
    }

    @Test
    void aSendThatWentOutLateIsChargedItsLateness() {
        // Coordinated omission: due at t=0, actually sent at t=90 ms, answered 10 ms later: 100 ms, not 10.
        Latency latency = new Latency();
        long due = 0;
        long answered = 100_000_000L;
        latency.record(due, answered);
        assertThat(latency.drain().p50()).isCloseTo(100, within(0.1));
    }
}
