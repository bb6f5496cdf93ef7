package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.oneTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.client.SluiceError;
import io.sluice.gateway.protocol.Backend;
import io.sluice.gateway.testing.GatewayExtension;
import io.sluice.gateway.testing.RawWebSocket;
import io.sluice.proto.Messages;
import io.sluice.spi.Address;
import io.sluice.spi.UserId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each limit, over a real socket: it triggers, it answers as documented, and it recovers. */
class LimitsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(Map.of(
            "sluice.limits.connections-per-ip", "4",
            "sluice.limits.requests", "10/1s",
            "sluice.limits.prekey-requests", "2/4s",
            "sluice.limits.failed-logins", "2/4s",
            "sluice.limits.queue-messages", "3",
            "sluice.limits.queue-bytes", "1KiB",
            "sluice.prekeys.check-interval", "1h"));

    @BeforeEach
    void previousTestsConnectionsAreGone() {
        await().atMost(WAIT).until(() -> GATEWAY.gateway().connectionCount() == 0);
    }

    private static String errorName(CompletableFuture<?> request) {
        try {
            request.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return "ok";
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SluiceError.class);
            return ((SluiceError) e.getCause()).name();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void connectionOverTheIpsLimitIsClosedWith1013BeforeTheChallengeAndAdmittedOnceOneCloses() throws Exception {
        List<SluiceClient> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            open.add(GATEWAY.connect());
        }
        try (RawWebSocket refused = RawWebSocket.connect(GATEWAY.uri())) {
            await().atMost(WAIT).until(refused::ended);
            assertThat(refused.frames()).singleElement().satisfies(frame -> {
                assertThat(frame.opcode()).isEqualTo(RawWebSocket.CLOSE);
                assertThat(frame.closeStatus()).isEqualTo(1013);
            });
        }
        open.get(0).close();
        await().atMost(WAIT).until(() -> GATEWAY.gateway().connectionCount() == 3);
        assertThat(GATEWAY.connect().nonce()).hasSize(32);
    }

    @Test
    void requestsOverTheConnectionsRateAreRateLimitedAndTheConnectionRecovers() throws Exception {
        SluiceClient sender = GATEWAY.connect();
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // A fresh recipient each: the queue quota stays out of it.
            sends.add(sender.send(Identity.generate().userId(), 1, bytes("m" + i)));
        }
        List<String> outcomes = sends.stream().map(LimitsIT::errorName).toList();
        assertThat(outcomes).containsOnly("ok", "rate_limited");
        assertThat(outcomes.stream().filter("ok"::equals).count()).isBetween(10L, 29L);
        assertThat(outcomes.subList(0, 10)).as("the burst passes").containsOnly("ok");

        assertThat(sender.isOpen()).isTrue();
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(
                                errorName(sender.send(Identity.generate().userId(), 1, bytes("later"))))
                        .isEqualTo("ok"));
    }

    @Test
    void preKeyRequestsForOneUserAreLimitedAcrossConnectionsAndRecover() throws Exception {
        Identity bob = Identity.generate();
        GATEWAY.login(bob, 1).register(1, bytes("signed"), oneTime("k", 10)).get();

        assertThat(GATEWAY.connect().requestPreKeys(bob.userId(), Set.of()).get())
                .hasSize(1);
        assertThat(GATEWAY.connect().requestPreKeys(bob.userId(), Set.of()).get())
                .hasSize(1);
        SluiceClient attacker = GATEWAY.connect();
        assertThat(errorName(attacker.requestPreKeys(bob.userId(), Set.of()))).isEqualTo("rate_limited");
        assertThat(errorName(attacker.requestPreKeys(Identity.generate().userId(), Set.of())))
                .as("other users are not affected")
                .isEqualTo("unknown_user");

        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(errorName(attacker.requestPreKeys(bob.userId(), Set.of())))
                        .isEqualTo("ok"));
        // Two fetched before the limit, one after: the limit kept the rest of Bob's ten one-time prekeys.
        assertThat(GATEWAY.gateway()
                        .backend()
                        .preKeyCount(new Backend.Caller("test", 0), new Address(UserId.of(bob.userId()), 1))
                        .toCompletableFuture()
                        .get())
                .isEqualTo(7);
    }

    @Test
    void afterTooManyFailedLoginsFromAnIpEvenAGoodLoginIsRateLimitedUntilItRecovers() throws Exception {
        Identity alice = Identity.generate();
        Identity mallory = Identity.generate();
        for (int i = 0; i < 2; i++) {
            SluiceClient client = GATEWAY.connect();
            byte[] login = Messages.Login.newBuilder()
                    .setAddress(Messages.Address.newBuilder()
                            .setUserID(ByteString.copyFrom(alice.userId()))
                            .setDeviceID(1))
                    .setNonce(ByteString.copyFrom(client.nonce()))
                    .build()
                    .toByteArray();
            assertThat(errorName(client.authenticate(login, mallory.sign(login))))
                    .isEqualTo("unauthorized");
        }

        SluiceClient client = GATEWAY.connect();
        assertThat(errorName(client.login(alice, 1))).isEqualTo("rate_limited");
        assertThat(client.isOpen())
                .as("a refused login leaves the connection anonymous, not closed")
                .isTrue();

        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(
                        () -> assertThat(errorName(client.login(alice, 1))).isEqualTo("ok"));
    }

    @Test
    void fullQueueByCountAnswersTheSenderRateLimitedUntilTheRecipientAcks() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient sender = GATEWAY.connect();
        for (int i = 0; i < 3; i++) {
            sender.send(bob.userId(), 1, bytes("m" + i)).get();
        }
        assertThat(errorName(sender.send(bob.userId(), 1, bytes("m3")))).isEqualTo("rate_limited");
        assertThat(errorName(sender.send(bob.userId(), 2, bytes("other device"))))
                .as("the quota is per Address")
                .isEqualTo("ok");

        SluiceClient bobsPhone = GATEWAY.login(bob, 1);
        Inbound first = bobsPhone.nextInbound(WAIT);
        assertThat(first).isNotNull();
        first.ack();
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(errorName(GATEWAY.connect().send(bob.userId(), 1, bytes("m3"))))
                        .isEqualTo("ok"));
    }

    @Test
    void fullQueueByBytesAnswersTheSenderRateLimitedUntilTheRecipientAcks() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient sender = GATEWAY.connect();
        sender.send(bob.userId(), 1, new byte[600]).get();
        assertThat(errorName(sender.send(bob.userId(), 1, new byte[600]))).isEqualTo("rate_limited");
        assertThat(errorName(sender.send(bob.userId(), 1, new byte[400])))
                .as("a smaller one still fits")
                .isEqualTo("ok");

        SluiceClient bobsPhone = GATEWAY.login(bob, 1);
        bobsPhone.nextInbound(WAIT).ack();
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(errorName(GATEWAY.connect().send(bob.userId(), 1, new byte[600])))
                        .isEqualTo("ok"));
    }
}
