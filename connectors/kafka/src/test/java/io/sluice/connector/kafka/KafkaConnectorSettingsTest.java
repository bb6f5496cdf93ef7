package io.sluice.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaConnectorSettingsTest {

    @Test
    void defaultsWhenNothingIsSet() {
        KafkaConnectorSettings settings = KafkaConnectorSettings.from(Settings.of(Map.of()));

        assertThat(settings.producerTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.maxMessageBytes()).isEqualTo(512 * 1024);
        assertThat(settings.producerProperties()).isEmpty();
        assertThat(settings.consumerProperties()).isEmpty();
    }

    @Test
    void passThroughSettingsLoseTheirPrefix() {
        KafkaConnectorSettings settings = KafkaConnectorSettings.from(Settings.of(Map.of(
                "sluice.kafka.producer.compression.type", "zstd",
                "sluice.kafka.consumer.max.poll.records", "50",
                "sluice.kafka.topic", "not passed through")));

        assertThat(settings.producerProperties()).containsExactly(Map.entry("compression.type", "zstd"));
        assertThat(settings.consumerProperties()).containsExactly(Map.entry("max.poll.records", "50"));
    }

    @Test
    void rejectsAcksWeakerThanAll() {
        assertThatThrownBy(() -> KafkaConnectorSettings.from(Settings.of(Map.of("sluice.kafka.producer.acks", "1"))))
                .isInstanceOf(SettingException.class)
                .hasMessage("sluice.kafka.producer.acks: '1' (expected: all, or leave it unset)");
    }

    @Test
    void rejectsANonIdempotentProducerAndAutoCommit() {
        assertThatThrownBy(() -> KafkaConnectorSettings.from(
                        Settings.of(Map.of("sluice.kafka.producer.enable.idempotence", "false"))))
                .hasMessageStartingWith("sluice.kafka.producer.enable.idempotence: 'false'");
        assertThatThrownBy(() -> KafkaConnectorSettings.from(
                        Settings.of(Map.of("sluice.kafka.consumer.enable.auto.commit", "true"))))
                .hasMessageStartingWith("sluice.kafka.consumer.enable.auto.commit: 'true'");
    }

    @Test
    void producerGivesUpAtTheDocumentedTimeout() {
        KafkaConnectorSettings settings =
                KafkaConnectorSettings.from(Settings.of(Map.of("sluice.kafka.producer-timeout", "4s")));
        Properties camel = new Properties();
        camel.put("acks", "1");
        camel.put("bootstrap.servers", "127.0.0.1:9092");

        Properties producer = SluiceKafkaClients.producerProperties(camel, settings);

        assertThat(producer)
                .containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("max.block.ms", "4000")
                .containsEntry("linger.ms", "1")
                .containsEntry("delivery.timeout.ms", "4000")
                .containsEntry("request.timeout.ms", "3999");
    }

    @Test
    void aLingerKeepsTheWholeSendWithinTheTimeoutAndTheProducerStarts() {
        KafkaConnectorSettings settings = KafkaConnectorSettings.from(
                Settings.of(Map.of("sluice.kafka.producer-timeout", "4s", "sluice.kafka.producer.linger.ms", "25")));
        Properties camel = new Properties();
        camel.put("bootstrap.servers", "127.0.0.1:9");
        camel.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        camel.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");

        Properties producer = SluiceKafkaClients.producerProperties(camel, settings);

        assertThat(producer)
                .containsEntry("linger.ms", "25")
                .containsEntry("delivery.timeout.ms", "4000")
                .containsEntry("request.timeout.ms", "3975");
        // Kafka's own check (delivery.timeout.ms >= linger.ms + request.timeout.ms) runs when a producer is made.
        new org.apache.kafka.clients.producer.KafkaProducer<>(producer).close(Duration.ZERO);
    }

    @Test
    void passThroughSettingsComeLast() {
        KafkaConnectorSettings settings = KafkaConnectorSettings.from(Settings.of(Map.of(
                "sluice.kafka.producer.linger.ms", "5",
                "sluice.kafka.consumer.max.poll.records", "10")));
        Properties camel = new Properties();
        camel.put("max.poll.records", "500");
        camel.put("enable.auto.commit", "true");

        assertThat(SluiceKafkaClients.producerProperties(new Properties(), settings))
                .containsEntry("linger.ms", "5");
        assertThat(SluiceKafkaClients.consumerProperties(camel, settings))
                .containsEntry("max.poll.records", "10")
                .containsEntry("enable.auto.commit", "false");
    }

    @Test
    void consumerIsAStaticMemberWhoseIdSurvivesARestartAndDiffersBetweenDataDirectories() {
        KafkaConnectorSettings first = KafkaConnectorSettings.from(Settings.of(Map.of("sluice.data-dir", "/tmp/a")));
        KafkaConnectorSettings again = KafkaConnectorSettings.from(Settings.of(Map.of("sluice.data-dir", "/tmp/a")));
        KafkaConnectorSettings other = KafkaConnectorSettings.from(Settings.of(Map.of("sluice.data-dir", "/tmp/b")));

        assertThat(first.instanceId()).startsWith("sluice-").isEqualTo(again.instanceId());
        assertThat(other.instanceId()).isNotEqualTo(first.instanceId());
        assertThat(SluiceKafkaClients.consumerProperties(new Properties(), first))
                .containsEntry("group.instance.id", first.instanceId())
                .containsEntry("session.timeout.ms", "15000");
    }

    @Test
    void anExplicitInstanceIdWins() {
        KafkaConnectorSettings settings =
                KafkaConnectorSettings.from(Settings.of(Map.of("sluice.kafka.instance-id", "gateway-7")));

        assertThat(SluiceKafkaClients.consumerProperties(new Properties(), settings))
                .containsEntry("group.instance.id", "gateway-7");
    }
}
