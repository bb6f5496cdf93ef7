package io.sluice.routes;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.client.SluiceError;
import io.sluice.connector.kafka.RecordHeaders;
import io.sluice.gateway.testing.GatewayExtension;
import io.sluice.spi.Address;
import io.sluice.spi.UserId;
import io.sluice.testing.kafka.KafkaBrokerExtension;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** routes/kafka.yaml in a real gateway, against a real broker, over real WebSockets. */
class KafkaRoutesIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOPIC = "sluice.it." + UUID.randomUUID();
    private static final String DEAD_LETTER_TOPIC = TOPIC + ".dead-letter";
    private static final int MAX_MESSAGE_BYTES = 4096;
    private static final String CONSUMER_CLIENT_ID = "sluice-it-inbound-" + UUID.randomUUID();

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(RouteFixtures.kafka(
            KAFKA.bootstrapServers(),
            TOPIC,
            "sluice-it-" + UUID.randomUUID(),
            Map.of(
                    "sluice.kafka.producer-timeout",
                    "2s",
                    "sluice.kafka.max-message-bytes",
                    Integer.toString(MAX_MESSAGE_BYTES),
                    "sluice.kafka.consumer.client.id",
                    CONSUMER_CLIENT_ID)));

    static String addressText(Identity identity, int deviceId) {
        return new Address(UserId.of(identity.userId()), deviceId).toString();
    }

    @Test
    void sealedMessageReachesTheRecipientThroughARecordKeyedByItsAddress() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient bobDevice = GATEWAY.login(bob, 7);
        String marker = "round trip " + UUID.randomUUID();

        GATEWAY.connect().send(bob.userId(), 7, bytes(marker)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        var delivered = bobDevice.nextInbound(WAIT);
        assertThat(delivered).isNotNull();
        assertThat(text(delivered.body())).isEqualTo(marker);
        delivered.ack();

        ConsumerRecord<String, byte[]> record = RawKafka.readUntil(
                        KAFKA.bootstrapServers(),
                        TOPIC,
                        read -> read.stream().anyMatch(r -> text(r.value()).equals(marker)))
                .stream()
                .filter(r -> text(r.value()).equals(marker))
                .findFirst()
                .orElseThrow();
        assertThat(record.key()).isEqualTo(addressText(bob, 7));
        assertThat(headers(record))
                .as("only the documented recipient headers leave the gateway")
                .containsOnly(
                        Map.entry(RecordHeaders.USER_ID, UserId.of(bob.userId()).toString()),
                        Map.entry(RecordHeaders.DEVICE_ID, "7"));
    }

    @Test
    void passThroughConsumerSettingReachesTheConsumer() throws Exception {
        ObjectName consumerMetrics =
                new ObjectName("kafka.consumer:type=consumer-metrics,client-id=" + CONSUMER_CLIENT_ID);

        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(consumerMetrics))
                .isTrue();
    }

    @Test
    void thousandMessagesToOneAddressArriveInTheOrderTheyWereSent() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient bobDevice = GATEWAY.login(bob, 1);
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        bobDevice.onInbound(message -> {
            received.add(text(message.body()));
            message.ack();
        });
        SluiceClient sender = GATEWAY.connect();
        List<String> sent = new ArrayList<>();

        for (int i = 0; i < 1000; i++) {
            String body = "message " + i;
            sender.send(bob.userId(), 1, bytes(body)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            sent.add(body);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= sent.size());
        assertThat(received).containsExactlyElementsOf(sent);
    }

    @Test
    void recordOfAnotherProducerIsDeliveredToTheAddressInItsKey() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient bobDevice = GATEWAY.login(bob, 3);
        String marker = "external " + UUID.randomUUID();

        RawKafka.produce(
                KAFKA.bootstrapServers(), List.of(new ProducerRecord<>(TOPIC, addressText(bob, 3), bytes(marker))));

        var delivered = bobDevice.nextInbound(WAIT);
        assertThat(delivered).isNotNull();
        assertThat(text(delivered.body())).isEqualTo(marker);
        delivered.ack();
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithTheirReasonAndReadingGoesOn() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient bobDevice = GATEWAY.login(bob, 2);
        String bobAddress = addressText(bob, 2);
        String run = UUID.randomUUID().toString();
        ProducerRecord<String, byte[]> noKey = new ProducerRecord<>(TOPIC, null, bytes("no key " + run));
        ProducerRecord<String, byte[]> badKey = new ProducerRecord<>(TOPIC, "not-an-address", bytes("bad key " + run));
        ProducerRecord<String, byte[]> otherDevice = new ProducerRecord<>(TOPIC, bobAddress, bytes("header " + run));
        otherDevice.headers().add(RecordHeaders.DEVICE_ID, "9".getBytes(StandardCharsets.UTF_8));
        byte[] big = new byte[MAX_MESSAGE_BYTES + 1];
        byte[] marker = bytes("oversized " + run);
        System.arraycopy(marker, 0, big, 0, marker.length);
        ProducerRecord<String, byte[]> oversized = new ProducerRecord<>(TOPIC, bobAddress, big);
        ProducerRecord<String, byte[]> good = new ProducerRecord<>(TOPIC, bobAddress, bytes("good " + run));

        RawKafka.produce(KAFKA.bootstrapServers(), List.of(noKey, badKey, otherDevice, oversized, good));

        var delivered = bobDevice.nextInbound(WAIT);
        assertThat(delivered).as("the record after the poison ones").isNotNull();
        assertThat(text(delivered.body())).isEqualTo("good " + run);
        delivered.ack();
        List<ConsumerRecord<String, byte[]>> dead = RawKafka.readUntil(
                KAFKA.bootstrapServers(),
                DEAD_LETTER_TOPIC,
                read -> ofRun(read, run).size() >= 4);
        assertThat(ofRun(dead, run))
                .extracting(r -> headers(r).get(RecordHeaders.DEAD_LETTER_REASON))
                .satisfiesExactly(
                        reason -> assertThat(reason).startsWith("no key"),
                        reason -> assertThat(reason).startsWith("key: 'not-an-address'"),
                        reason -> assertThat(reason).startsWith(RecordHeaders.DEVICE_ID + ": '9'"),
                        reason -> assertThat(reason).startsWith("value: " + (MAX_MESSAGE_BYTES + 1) + " bytes"));
        assertThat(ofRun(dead, run))
                .allSatisfy(
                        r -> assertThat(headers(r).get(RecordHeaders.SOURCE)).startsWith(TOPIC + "-0-"));
        assertThat(ofRun(dead, run).get(3).value())
                .as("the value goes to the dead letters untouched")
                .isEqualTo(big);
    }

    @Test
    void senderIsToldUnavailableWhileTheBrokerIsDownAndNoAckedMessageIsLostOrDuplicated() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient bobDevice = GATEWAY.login(bob, 1);
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        bobDevice.onInbound(message -> {
            received.add(text(message.body()));
            message.ack();
        });
        SluiceClient sender = GATEWAY.connect();
        List<String> acked = new ArrayList<>();
        List<String> refused = new ArrayList<>();

        for (int i = 0; i < 20; i++) {
            send(sender, bob, "before " + i, acked, refused);
        }
        KAFKA.stop();
        for (int i = 0; i < 3; i++) {
            String body = "during " + i;
            assertThatThrownBy(() -> sender.send(bob.userId(), 1, bytes(body)).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("a send while the broker is down")
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(SluiceError.class)
                    .satisfies(e -> assertThat(((SluiceError) e).name()).isEqualTo("unavailable"));
            refused.add(body);
        }
        KAFKA.start();
        // Until the producer is back, a send may fail; one that timed out may still have been written, which is
        // why a failed send is a refused one, allowed to arrive, and each attempt has a body of its own.
        int[] probes = {0};
        await().atMost(WAIT).until(() -> {
            send(sender, bob, "probe " + probes[0]++, acked, refused);
            return acked.contains("probe " + (probes[0] - 1));
        });
        for (int i = 0; i < 20; i++) {
            send(sender, bob, "after " + i, acked, refused);
        }

        await().atMost(WAIT).until(() -> received.containsAll(acked));
        List<String> ackedReceived = received.stream().filter(acked::contains).toList();
        assertThat(ackedReceived)
                .as("every acked message, once")
                .hasSameSizeAs(acked)
                .containsExactlyInAnyOrderElementsOf(acked);
        assertThat(received).as("what arrived was sent").allMatch(b -> acked.contains(b) || refused.contains(b));
    }

    @Test
    void senderIsToldUnavailableWithinTheProducerTimeoutWhenTheBrokerHangs() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient bobDevice = GATEWAY.login(bob, 1);
        SluiceClient sender = GATEWAY.connect();
        sender.send(bob.userId(), 1, bytes("before the hang")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(text(bobDevice.nextInbound(WAIT).body())).isEqualTo("before the hang");

        KAFKA.pause();
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> sender.send(bob.userId(), 1, bytes("into the hang"))
                            .get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(SluiceError.class)
                    .satisfies(e -> assertThat(((SluiceError) e).name()).isEqualTo("unavailable"));
            // sluice.kafka.producer-timeout is 2 s here: the producer waits that long, as documented, and the
            // request timeout (10 s) is not what answered.
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1900))
                    .isLessThan(Duration.ofSeconds(8));
        } finally {
            KAFKA.resume();
        }
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            sender.send(bob.userId(), 1, bytes("after the hang")).get(5, TimeUnit.SECONDS);
            return true;
        });
        await().atMost(WAIT).until(() -> {
            for (var m = bobDevice.nextInbound(Duration.ofMillis(100));
                    m != null;
                    m = bobDevice.nextInbound(Duration.ofMillis(100))) {
                m.ack();
                if (text(m.body()).equals("after the hang")) {
                    return true;
                }
            }
            return false;
        });
    }

    private static void send(SluiceClient sender, Identity to, String body, List<String> acked, List<String> refused)
            throws Exception {
        try {
            sender.send(to.userId(), 1, bytes(body)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            acked.add(body);
        } catch (ExecutionException | TimeoutException e) {
            refused.add(body);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> ofRun(
            List<ConsumerRecord<String, byte[]>> records, String run) {
        return records.stream()
                .filter(r -> r.value() != null && text(r.value()).contains(run))
                .toList();
    }

    private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(
                    header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }
}
