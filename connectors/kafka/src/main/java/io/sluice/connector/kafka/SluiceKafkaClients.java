package io.sluice.connector.kafka;

import io.sluice.connector.support.SluiceSettings;
import java.time.Duration;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.camel.component.kafka.KafkaClientFactory;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Makes the Kafka clients of the route file: what Camel's endpoint options say, then the connector's
 * guarantees (acks=all, idempotent producer, no auto commit), the producer timeout, the consumer's static group
 * membership, and last the {@code sluice.kafka.producer.*} / {@code sluice.kafka.consumer.*} settings as they are.
 * Each consumer it makes is watched for readiness ({@link ConsumerWatch}).
 *
 * <p>Used in a route file as {@code kafkaClientFactory: "#sluiceKafkaClients"} with a bean of this type.
 */
public final class SluiceKafkaClients implements KafkaClientFactory, CamelContextAware {
    /**
     * How long the producer waits for more records before it sends a batch (linger.ms), unless
     * {@code sluice.kafka.producer.linger.ms} says otherwise. Chosen by measurement (bench/results/ANALYSIS.md): 1 ms
     * gathers the records of concurrent senders into fewer, larger requests, which lowered the p99 at 5,000 msg/s
     * from 21.6 to 9.6 ms and raised saturation from 32,400 to 36,100 msg/s against 0 ms; 5 ms added its 5 ms to
     * every message. batch.size stays Kafka's 16 KiB, which a 1 ms linger does not fill at these rates.
     */
    static final Duration LINGER = Duration.ofMillis(1);

    /** How long a static member may be gone before its partitions go to others. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(15);

    private final KafkaClientFactory delegate = new DefaultKafkaClientFactory();
    private CamelContext camel;
    private KafkaConnectorSettings settings;
    private ConsumerWatch watch;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camel = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camel;
    }

    @Override
    public Producer<?, ?> getProducer(Properties camelProperties) {
        return delegate.getProducer(producerProperties(camelProperties, settings()));
    }

    @Override
    public Consumer<?, ?> getConsumer(Properties camelProperties) {
        Properties properties = consumerProperties(camelProperties, settings());
        Consumer<?, ?> consumer = delegate.getConsumer(properties);
        watch().watch(consumer, properties);
        return consumer;
    }

    @Override
    public String getBrokers(KafkaConfiguration configuration) {
        return delegate.getBrokers(configuration);
    }

    /** The producer's properties: Camel's, then the guarantees and timeout, then the pass-through settings. */
    static Properties producerProperties(Properties camelProperties, KafkaConnectorSettings settings) {
        Properties properties = new Properties();
        properties.putAll(camelProperties);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ENABLE_METRICS_PUSH_CONFIG, "false");
        // A send gives up after the documented timeout: waiting for metadata (max.block.ms, when the broker was
        // never reached) or for the ack (delivery.timeout.ms, which Kafka wants at least linger.ms +
        // request.timeout.ms). The request's own deadline (sluice.request-timeout) still bounds the whole.
        long timeoutMs = Math.max(1, settings.producerTimeout().toMillis());
        String timeout = Long.toString(timeoutMs);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(LINGER.toMillis()));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        properties.putAll(settings.producerProperties());
        if (!settings.producerProperties().containsKey(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)) {
            // A record lingers first, then its request waits for the ack: the request gets what is left.
            properties.put(
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    Long.toString(Math.max(1, timeoutMs - lingerMs(properties))));
        }
        return properties;
    }

    /** The linger.ms the properties ask for; 0 when it is no number (the producer then refuses it itself). */
    private static long lingerMs(Properties properties) {
        try {
            return Math.max(
                    0,
                    Long.parseLong(properties
                            .getProperty(ProducerConfig.LINGER_MS_CONFIG, "0")
                            .trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The consumer's properties: Camel's, then no auto commit and static group membership, then the pass-through
     * settings. A static member that restarts within the session timeout gets its partitions back at once, with
     * no rebalance; one that is gone for good gives them up after the session timeout, shorter than Kafka's
     * default of 45 s.
     */
    static Properties consumerProperties(Properties camelProperties, KafkaConnectorSettings settings) {
        Properties properties = new Properties();
        properties.putAll(camelProperties);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ENABLE_METRICS_PUSH_CONFIG, "false");
        properties.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.instanceId());
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(SESSION_TIMEOUT.toMillis()));
        properties.putAll(settings.consumerProperties());
        return properties;
    }

    private synchronized ConsumerWatch watch() {
        if (watch == null) {
            watch = ConsumerWatch.register(camel, settings());
        }
        return watch;
    }

    private synchronized KafkaConnectorSettings settings() {
        if (settings == null) {
            if (camel == null) {
                throw new IllegalStateException("SluiceKafkaClients has no CamelContext (expected: a bean of the"
                        + " route file, or setCamelContext before use)");
            }
            settings = KafkaConnectorSettings.from(SluiceSettings.of(camel));
        }
        return settings;
    }
}
