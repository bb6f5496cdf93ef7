package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayProcess;
import io.sluice.testing.redis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateway jars (A, B, C) on routes/redis.yaml sharing one Redis server (queue, prekeys and limits), each
 * client connected straight to one of them: a message crosses instances, an Address connected to two instances
 * gets each message on both until one acks, and acceptance order holds across instances.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossInstanceIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int ORDERED = 500;

    @TempDir
    static Path dataDirs;

    private RedisServer redis;
    private GatewayProcess a;
    private GatewayProcess b;
    private GatewayProcess c;
    private final List<SluiceClient> clients = new ArrayList<>();

    @BeforeAll
    void startGateways() throws Exception {
        redis = RedisServer.startWithAof("everysec");
        Map<String, String> settings = Map.of(
                "sluice.queue.type", "redis",
                "sluice.redis.uri", redis.uri(),
                "sluice.routes", Examples.root().resolve("routes/redis.yaml").toString(),
                "sluice.limits.store", "redis",
                "sluice.prekeys.check-interval", "1h");
        a = GatewayProcess.start(dataDirs.resolve("a"), settings);
        b = GatewayProcess.start(dataDirs.resolve("b"), settings);
        c = GatewayProcess.start(dataDirs.resolve("c"), settings);
    }

    @AfterAll
    void stopGateways() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {a, b, c, redis}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(SluiceClient::close);
        clients.clear();
    }

    private SluiceClient connect(GatewayProcess gateway) throws Exception {
        SluiceClient client = SluiceClient.connect(gateway.uri()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        clients.add(client);
        return client;
    }

    private SluiceClient device(GatewayProcess gateway, Identity identity) throws Exception {
        SluiceClient client = connect(gateway);
        client.login(identity, 1).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return client;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Inbound message) {
        return new String(message.body(), StandardCharsets.UTF_8);
    }

    private static Inbound next(SluiceClient device, String what) throws InterruptedException {
        Inbound message = device.nextInbound(WAIT);
        assertThat(message).as(what).isNotNull();
        return message;
    }

    @Test
    void aMessageSentThroughOneInstanceReachesItsRecipientOnAnother() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient bobOnC = device(c, bob);
        SluiceClient senderOnA = connect(a);

        senderOnA.send(bob.userId(), 1, bytes("from-a")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        Inbound message = next(bobOnC, "the message sent through A, on C");
        assertThat(text(message)).isEqualTo("from-a");
        assertThat(message.ack()).isTrue();
    }

    @Test
    void anAddressOnTwoInstancesGetsEachMessageOnBothUntilOneAcks() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient bobOnB = device(b, bob);
        SluiceClient bobOnC = device(c, bob);
        SluiceClient senderOnA = connect(a);

        senderOnA.send(bob.userId(), 1, bytes("first")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Inbound onB = next(bobOnB, "the message on B");
        Inbound onC = next(bobOnC, "the same message on C");
        assertThat(text(onB)).isEqualTo("first");
        assertThat(text(onC)).isEqualTo("first");

        // B acks it: from then on it is gone from the queue, whichever instance a new connection reaches.
        assertThat(onB.ack()).isTrue();
        SluiceClient bobAgainOnA = device(a, bob);
        senderOnA.send(bob.userId(), 1, bytes("second")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(text(next(bobAgainOnA, "the next message on the new connection")))
                .as("the acked message is not delivered again; the next one is")
                .isEqualTo("second");
    }

    @Test
    void acceptanceOrderHoldsAcrossInstances() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient bobOnC = device(c, bob);
        SluiceClient senderOnA = connect(a);

        // Sequential: each send is accepted (acked) before the next one is made.
        for (int i = 0; i < ORDERED; i++) {
            senderOnA.send(bob.userId(), 1, bytes("m-" + i)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        List<String> received = new ArrayList<>(ORDERED);
        for (int i = 0; i < ORDERED; i++) {
            Inbound message = next(bobOnC, "message " + i + " of " + ORDERED);
            received.add(text(message));
            assertThat(message.ack()).isTrue();
        }
        assertThat(received)
                .as("in the order A accepted them")
                .containsExactlyElementsOf(RoundTrip.messages("m", ORDERED));
    }
}
