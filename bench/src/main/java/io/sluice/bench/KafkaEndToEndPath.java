package io.sluice.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The Kafka end-to-end baseline: {@link ProducerPath}'s producer ({@code acks=all}, idempotent) into its own
 * topic, and one consumer in its own group polling it, committing by hand after each poll as the gateway's
 * route does (no auto commit). A message counts as delivered when the consumer has it, so this is the ceiling
 * of the whole Kafka path through this broker, produce to consume, with no gateway on either side.
 */
final class KafkaEndToEndPath implements MessagePath {
    private final ProducerPath producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread poller;
    private volatile boolean running = true;

    KafkaEndToEndPath(String brokers, String topic, Deliveries sink) throws InterruptedException {
        this.consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        brokers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "sluice-bench-end-to-end",
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        "sluice-bench-end-to-end",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        CountDownLatch assigned = new CountDownLatch(1);
        // A fresh topic, made before the consumer subscribes (an auto-created one would race its subscription);
        // the consumer reads it from the start, so nothing sent after the assignment is missed.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            consumer.close();
            throw new IllegalStateException("cannot create the topic " + topic, e);
        }
        this.producer = new ProducerPath(brokers, topic, sink, false);
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    assigned.countDown();
                }
            }
        });
        this.poller = Thread.ofPlatform().name("kafka-e2e-consumer").daemon().start(() -> {
            try {
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(100));
                    for (ConsumerRecord<String, byte[]> record : records) {
                        sink.delivered(record.value());
                    }
                    if (!records.isEmpty()) {
                        consumer.commitAsync();
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        });
        if (!assigned.await(60, TimeUnit.SECONDS)) {
            close();
            throw new IllegalStateException("the end-to-end consumer got no partition of " + topic + " in 60 s");
        }
    }

    @Override
    public void send(long index, long intendedNanos, byte[] body) {
        producer.send(index, intendedNanos, body);
    }

    @Override
    public int connections() {
        return 2;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
