package io.sluice.connector.kafka;

import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kafka connector's settings, read once from the gateway's settings. The route file reads the same keys as
 * property placeholders; this record holds those its beans need.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>sluice.kafka.brokers</td><td>{@code 127.0.0.1:9092} (in routes/kafka.yaml)</td><td>bootstrap servers, {@code host:port[,...]}</td></tr>
 *   <tr><td>sluice.kafka.topic</td><td>sluice.sealed</td><td>where outbound messages go, and are read from</td></tr>
 *   <tr><td>sluice.kafka.dead-letter-topic</td><td>sluice.sealed.dead-letter</td><td>where poison records go</td></tr>
 *   <tr><td>sluice.kafka.consumer-group</td><td>sluice</td><td>the consumer group of the gateways</td></tr>
 *   <tr><td>sluice.kafka.producer-timeout</td><td>5s</td><td>longest wait for the broker's ack before the
 *       sender is answered {@code unavailable}; keep it below {@code sluice.request-timeout}</td></tr>
 *   <tr><td>sluice.kafka.max-message-bytes</td><td>512KiB</td><td>larger records are poison</td></tr>
 *   <tr><td>sluice.kafka.producer.*</td><td></td><td>passed to the Kafka producer as they are</td></tr>
 *   <tr><td>sluice.kafka.consumer.*</td><td></td><td>passed to the Kafka consumer as they are</td></tr>
 * </table>
 *
 * @param producerTimeout    the longest a send waits for the broker's ack, blocking for metadata included
 * @param maxMessageBytes    the largest record value the consumer delivers
 * @param producerProperties the {@code sluice.kafka.producer.*} settings, without the prefix
 * @param consumerProperties the {@code sluice.kafka.consumer.*} settings, without the prefix
 */
public record KafkaConnectorSettings(
        Duration producerTimeout,
        long maxMessageBytes,
        Map<String, String> producerProperties,
        Map<String, String> consumerProperties) {

    /** The prefix of the settings passed to the Kafka producer. */
    public static final String PRODUCER_PREFIX = "sluice.kafka.producer.";
    /** The prefix of the settings passed to the Kafka consumer. */
    public static final String CONSUMER_PREFIX = "sluice.kafka.consumer.";

    public KafkaConnectorSettings {
        producerProperties = Map.copyOf(producerProperties);
        consumerProperties = Map.copyOf(consumerProperties);
    }

    /**
     * Reads and checks the settings.
     *
     * @throws SettingException naming the first unusable setting, including pass-through settings that would
     *                          break the connector's guarantees (acks other than all, no idempotence, auto commit)
     */
    public static KafkaConnectorSettings from(Settings settings) {
        Map<String, String> producer = stripped(settings.withPrefix(PRODUCER_PREFIX), PRODUCER_PREFIX);
        Map<String, String> consumer = stripped(settings.withPrefix(CONSUMER_PREFIX), CONSUMER_PREFIX);
        // A sender is told "sent" once the record is on every in-sync replica, written once; and a record's
        // offset is committed only after sluice:deliver queued it. These settings would quietly break that.
        require(producer, PRODUCER_PREFIX, "acks", "all", "-1");
        require(producer, PRODUCER_PREFIX, "enable.idempotence", "true");
        require(consumer, CONSUMER_PREFIX, "enable.auto.commit", "false");
        return new KafkaConnectorSettings(
                settings.duration("sluice.kafka.producer-timeout", Duration.ofSeconds(5)),
                settings.bytes("sluice.kafka.max-message-bytes", 512 * 1024, Integer.MAX_VALUE),
                producer,
                consumer);
    }

    private static Map<String, String> stripped(Map<String, String> withPrefix, String prefix) {
        Map<String, String> result = new TreeMap<>();
        withPrefix.forEach((key, value) -> result.put(key.substring(prefix.length()), value.trim()));
        return result;
    }

    private static void require(Map<String, String> properties, String prefix, String key, String... allowed) {
        String value = properties.get(key);
        if (value == null) {
            return;
        }
        for (String ok : allowed) {
            if (ok.equals(value.toLowerCase(Locale.ROOT))) {
                return;
            }
        }
        throw new SettingException(prefix + key, value, allowed[0] + ", or leave it unset");
    }
}
