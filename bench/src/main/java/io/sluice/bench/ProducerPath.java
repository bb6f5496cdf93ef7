package io.sluice.bench;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka baseline: the same record sizes straight from one producer to the local broker, with the
 * durability the Kafka route asks for ({@code acks=all}, idempotent). A message counts as delivered when the
 * broker acks it; there is no consumer, so this is the ceiling of the path's first half.
 */
final class ProducerPath implements MessagePath {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Deliveries sink;
    private final boolean deliveredOnAck;

    ProducerPath(String brokers, String topic, Deliveries sink) {
        this(brokers, topic, sink, true);
    }

    /**
     * @param deliveredOnAck whether the broker's ack counts as the delivery (the producer alone), or only as
     *     the accept, a consumer reporting the delivery ({@link KafkaEndToEndPath})
     */
    ProducerPath(String brokers, String topic, Deliveries sink, boolean deliveredOnAck) {
        this.topic = topic;
        this.sink = sink;
        this.deliveredOnAck = deliveredOnAck;
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        brokers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.CLIENT_ID_CONFIG,
                        "sluice-bench-baseline"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    @Override
    public void send(long index, long intendedNanos, byte[] body) {
        // A key as long as the route's (the recipient Address as text), spreading records like it does.
        String key = "BbenchRecipientAddressTextOfAboutTheSameLength" + (index % 16) + ".1";
        producer.send(new ProducerRecord<>(topic, key, body), (metadata, failure) -> {
            if (failure == null) {
                sink.accepted(intendedNanos);
                if (deliveredOnAck) {
                    sink.delivered(body);
                }
            } else {
                sink.failed();
            }
        });
    }

    @Override
    public int connections() {
        return 1;
    }

    @Override
    public void close() {
        producer.close();
    }
}
