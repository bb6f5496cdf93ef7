package io.sluice.connector.kafka;

import io.sluice.connector.support.SluiceSettings;
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
 * guarantees (acks=all, idempotent producer, no auto commit), the producer timeout, and last the
 * {@code sluice.kafka.producer.*} / {@code sluice.kafka.consumer.*} settings as they are.
 *
 * <p>Used in a route file as {@code kafkaClientFactory: "#sluiceKafkaClients"} with a bean of this type.
 */
public final class SluiceKafkaClients implements KafkaClientFactory, CamelContextAware {
    private final KafkaClientFactory delegate = new DefaultKafkaClientFactory();
    private CamelContext camel;
    private KafkaConnectorSettings settings;

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
        return delegate.getConsumer(consumerProperties(camelProperties, settings()));
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
        // A send waits for metadata (max.block.ms) and then for the ack (delivery.timeout.ms, which Kafka wants
        // at least linger.ms + request.timeout.ms): half the timeout each keeps the whole within it.
        long half = Math.max(1, settings.producerTimeout().dividedBy(2).toMillis());
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(half));
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(half));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(half));
        properties.putAll(settings.producerProperties());
        return properties;
    }

    /** The consumer's properties: Camel's, then no auto commit, then the pass-through settings. */
    static Properties consumerProperties(Properties camelProperties, KafkaConnectorSettings settings) {
        Properties properties = new Properties();
        properties.putAll(camelProperties);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.putAll(settings.consumerProperties());
        return properties;
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
