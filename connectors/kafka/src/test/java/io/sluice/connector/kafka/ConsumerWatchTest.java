package io.sluice.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.junit.jupiter.api.Test;

class ConsumerWatchTest {
    private final AtomicLong now = new AtomicLong();
    private final KafkaConnectorSettings settings = KafkaConnectorSettings.from(
            Settings.of(Map.of("sluice.kafka.stall-timeout", "30s", "sluice.queue.type", "redis")));
    private final ConsumerWatch watch = new ConsumerWatch(settings, now::get);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);

    @Test
    void aConsumerThatNeverGetsAPartitionIsNotReadyAfterTheStallTimeout() {
        watch.watch(consumer, new Properties());

        advance(Duration.ofSeconds(29));
        watch.observe();
        assertThat(watch.verdict()).isEmpty();

        advance(Duration.ofSeconds(2));
        watch.observe();
        assertThat(watch.verdict()).startsWith("no partition assigned for 31 s");
        assertThat(watch.call().getState()).isEqualTo(org.apache.camel.health.HealthCheck.State.DOWN);
    }

    @Test
    void aNewConsumerStartsTheClockAgain() {
        watch.watch(consumer, new Properties());
        advance(Duration.ofSeconds(40));
        watch.observe();
        assertThat(watch.verdict()).isNotEmpty();

        watch.watch(new MockConsumer<>(OffsetResetStrategy.EARLIEST), new Properties());
        watch.observe();
        assertThat(watch.verdict()).isEmpty();
        assertThat(watch.call().getState()).isEqualTo(org.apache.camel.health.HealthCheck.State.UP);
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }
}
