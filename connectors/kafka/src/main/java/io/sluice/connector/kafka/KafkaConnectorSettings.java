package io.sluice.connector.kafka;

import io.sluice.spi.CommonSettings;
import io.sluice.spi.Setting;
import io.sluice.spi.SettingDefinitions;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Kafka connector's settings, declared here once and read once from the gateway's settings by the route file's
 * beans. The route file reads {@link #BROKERS}, {@link #TOPIC}, {@link #DEAD_LETTER_TOPIC} and
 * {@link #CONSUMER_GROUP} as placeholders, whose declared defaults apply there too.
 *
 * @param producerTimeout    the longest a send waits for the broker's ack, blocking for metadata included
 * @param maxMessageBytes    the largest record value the consumer delivers
 * @param instanceId         the consumer's static group membership id ({@code group.instance.id}): stable across
 *                           restarts, so a restarted gateway gets its partitions back at once
 * @param stallTimeout       how long the consumer may hold no partition, or make no progress with records
 *                           waiting, before readiness says so
 * @param queueType          sluice.queue.type: an embedded queue cannot share a consumer group
 * @param producerProperties the {@code sluice.kafka.producer.*} settings, without the prefix
 * @param consumerProperties the {@code sluice.kafka.consumer.*} settings, without the prefix
 */
public record KafkaConnectorSettings(
        Duration producerTimeout,
        long maxMessageBytes,
        String instanceId,
        Duration stallTimeout,
        String queueType,
        Map<String, String> producerProperties,
        Map<String, String> consumerProperties) {

    public static final Setting<String> BROKERS =
            Setting.string("sluice.kafka.brokers", "127.0.0.1:9092", "bootstrap servers, host:port[,host:port]");
    public static final Setting<String> TOPIC =
            Setting.string("sluice.kafka.topic", "sluice.sealed", "where messages go and are read from");
    public static final Setting<String> DEAD_LETTER_TOPIC =
            Setting.string("sluice.kafka.dead-letter-topic", "sluice.sealed.dead-letter", "where poison records go");
    public static final Setting<String> CONSUMER_GROUP =
            Setting.string("sluice.kafka.consumer-group", "sluice", "the gateways' consumer group");
    public static final Setting<Duration> PRODUCER_TIMEOUT = Setting.duration(
            "sluice.kafka.producer-timeout",
            "5s",
            "longest wait for the broker's ack, metadata included; keep it under sluice.request-timeout");
    public static final Setting<Long> MAX_MESSAGE_BYTES = Setting.bytes(
            "sluice.kafka.max-message-bytes", "512KiB", Integer.MAX_VALUE, "larger records are dead letters");
    public static final Setting<String> INSTANCE_ID = Setting.string(
                    "sluice.kafka.instance-id",
                    null,
                    "the consumer's static group membership (group.instance.id): a restarted gateway gets its"
                            + " partitions back at once instead of after the session timeout; unique per gateway")
            .defaultFrom("sluice-<host name>-<hash of sluice.data-dir>");
    public static final Setting<Duration> STALL_TIMEOUT = Setting.duration(
            "sluice.kafka.stall-timeout",
            "30s",
            "a consumer holding no partition, or not moving with records waiting, this long makes /readyz not"
                    + " ready (with more gateways than partitions, some hold none: raise it, e.g. 365d)");
    public static final Setting<Map<String, String>> PRODUCER =
            Setting.passThrough("sluice.kafka.producer.", "given to the Kafka producer as they are");
    public static final Setting<Map<String, String>> CONSUMER =
            Setting.passThrough("sluice.kafka.consumer.", "given to the Kafka consumer as they are");

    /** The prefix of the settings passed to the Kafka producer. */
    public static final String PRODUCER_PREFIX = PRODUCER.key();
    /** The prefix of the settings passed to the Kafka consumer. */
    public static final String CONSUMER_PREFIX = CONSUMER.key();

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
        Map<String, String> producer = PRODUCER.values(settings);
        Map<String, String> consumer = CONSUMER.values(settings);
        // A sender is told "sent" once the record is on every in-sync replica, written once; and a record's
        // offset is committed only after sluice:deliver queued it. These settings would quietly break that.
        require(producer, PRODUCER_PREFIX, "acks", "all", "-1");
        require(producer, PRODUCER_PREFIX, "enable.idempotence", "true");
        require(consumer, CONSUMER_PREFIX, "enable.auto.commit", "false");
        // The gateway jar leaves out the client telemetry (KIP-714) classes.
        require(producer, PRODUCER_PREFIX, "enable.metrics.push", "false");
        require(consumer, CONSUMER_PREFIX, "enable.metrics.push", "false");
        return new KafkaConnectorSettings(
                PRODUCER_TIMEOUT.get(settings),
                MAX_MESSAGE_BYTES.get(settings),
                INSTANCE_ID.find(settings).orElseGet(() -> defaultInstanceId(settings)),
                STALL_TIMEOUT.get(settings),
                CommonSettings.QUEUE_TYPE.get(settings),
                producer,
                consumer);
    }

    /**
     * {@code sluice-<host>-<hash of the data directory>}: the same for a gateway restarted on its host and data,
     * different for two gateways on one host (they cannot share a data directory).
     */
    static String defaultInstanceId(Settings settings) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        String dataDir = CommonSettings.DATA_DIR
                .get(settings)
                .toAbsolutePath()
                .normalize()
                .toString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(dataDir.getBytes(StandardCharsets.UTF_8));
            return "sluice-" + host + "-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    /** Declares the settings, as module {@code kafka}. */
    public static final class Definitions implements SettingDefinitions {
        @Override
        public String module() {
            return "kafka";
        }

        @Override
        public List<Setting<?>> settings() {
            return List.of(
                    BROKERS,
                    TOPIC,
                    DEAD_LETTER_TOPIC,
                    CONSUMER_GROUP,
                    PRODUCER_TIMEOUT,
                    MAX_MESSAGE_BYTES,
                    INSTANCE_ID,
                    STALL_TIMEOUT,
                    PRODUCER,
                    CONSUMER);
        }

        /** Builds the record: its checks of the pass-through settings included. */
        @Override
        public void check(Settings settings) {
            from(settings);
        }
    }
}
