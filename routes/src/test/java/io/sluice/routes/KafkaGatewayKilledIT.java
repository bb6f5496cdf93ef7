package io.sluice.routes;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayProcess;
import io.sluice.testing.kafka.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** routes/kafka.yaml's consuming route across a gateway process (the jar) killed with SIGKILL. */
class KafkaGatewayKilledIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int RECORDS = 300;

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private final String topic = "sluice.it.killed." + UUID.randomUUID();
    private final String group = "sluice-it-killed-" + UUID.randomUUID();
    private Path dataDir;
    private GatewayProcess gateway;

    @AfterEach
    void cleanUp() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * A gateway queues records and is killed with SIGKILL; the group's offsets are then rewound to where they
     * were before any commit, which is what a kill between queueing and committing leaves behind, for every
     * record at once. The next gateway reads them all again, and each reaches the recipient once, in order.
     */
    @Test
    void recordsQueuedButNotCommittedBeforeAKill9AreDeliveredOnceAfterTheRestart() throws Exception {
        Identity bob = Identity.generate();
        String bobAddress = KafkaRoutesIT.addressText(bob, 1);
        List<String> sent =
                IntStream.range(0, RECORDS).mapToObj(i -> "record " + i).toList();
        RawKafka.produce(
                KAFKA.bootstrapServers(),
                sent.stream()
                        .map(body -> new ProducerRecord<>(topic, bobAddress, bytes(body)))
                        .toList());
        dataDir = Files.createTempDirectory("sluice-killed-");
        TopicPartition partition = new TopicPartition(topic, 0);

        gateway = GatewayProcess.start(dataDir, settings());
        try (Admin admin = admin()) {
            await().atMost(WAIT).until(() -> committed(admin, partition) >= RECORDS / 3);
            gateway.kill9();
            long committedAtKill = committed(admin, partition);
            // The killed member stays in the group until its session times out; only then may offsets move.
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(0)))
                                    .all()
                                    .get(5, TimeUnit.SECONDS));
            assertThat(committedAtKill).as("records queued before the kill").isPositive();
        }
        RawKafka.produce(KAFKA.bootstrapServers(), List.of(new ProducerRecord<>(topic, bobAddress, bytes("end"))));
        gateway = GatewayProcess.start(dataDir, settings());

        List<String> received = Collections.synchronizedList(new ArrayList<>());
        SluiceClient bobDevice = SluiceClient.connect(gateway.uri()).get(30, TimeUnit.SECONDS);
        try {
            bobDevice.onInbound(message -> {
                received.add(text(message.body()));
                message.ack();
            });
            bobDevice.login(bob, 1).get(30, TimeUnit.SECONDS);
            // "end" was produced last: once it arrived, every copy of an earlier record would have too.
            await().atMost(WAIT).until(() -> received.contains("end"));
        } finally {
            bobDevice.close();
        }
        assertThat(received.subList(0, received.indexOf("end"))).containsExactlyElementsOf(sent);
    }

    private Map<String, String> settings() {
        return RouteFixtures.kafka(
                KAFKA.bootstrapServers(),
                topic,
                group,
                Map.of(
                        // The smallest the broker allows: the killed gateway leaves the group within seconds.
                        "sluice.kafka.consumer.session.timeout.ms",
                        "6000",
                        "sluice.kafka.consumer.heartbeat.interval.ms",
                        "1000"));
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
    }

    private long committed(Admin admin, TopicPartition partition) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS)
                .get(partition);
        return offset == null ? 0 : offset.offset();
    }
}
