package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveriesTest {

    @Test
    void bodiesCarryTheirDueTimeAndStepAndHaveTheAskedSize() {
        Deliveries deliveries = new Deliveries(4096);
        deliveries.startStep(1, Long.MAX_VALUE);
        byte[] body = deliveries.body(256, System.nanoTime() - 2_000_000);
        assertThat(body).hasSize(256);
        deliveries.delivered(body);
        assertThat(deliveries.delivered()).isEqualTo(1);
        assertThat(deliveries.outstanding()).isZero();
        assertThat(deliveries.endToEnd().p50()).isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void aBodyFromAnEarlierStepIsStaleAndNotRecorded() {
        Deliveries deliveries = new Deliveries(256);
        deliveries.startStep(1, Long.MAX_VALUE);
        byte[] old = deliveries.body(256, System.nanoTime());
        deliveries.startStep(2, Long.MAX_VALUE);
        deliveries.delivered(old);
        assertThat(deliveries.staleCount()).isEqualTo(1);
        assertThat(deliveries.delivered()).isZero();
        assertThat(deliveries.endToEnd().count()).isZero();
    }

    @Test
    void onlyDeliveriesWithinTheWindowCountTowardsThroughput() {
        Deliveries deliveries = new Deliveries(256);
        deliveries.startStep(1, System.nanoTime() - 1);
        deliveries.delivered(deliveries.body(256, System.nanoTime()));
        assertThat(deliveries.delivered()).isEqualTo(1);
        assertThat(deliveries.deliveredInWindow()).isZero();
    }
}
