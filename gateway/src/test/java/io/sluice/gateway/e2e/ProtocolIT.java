package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.oneTime;
import static io.sluice.gateway.testing.Keys.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.client.SluiceError;
import io.sluice.gateway.testing.GatewayExtension;
import io.sluice.proto.Messages;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every row of PROTOCOL.md, against the real gateway over a real WebSocket, on the embedded default. */
class ProtocolIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(Map.of(
            "sluice.max-frame-bytes", "64KiB",
            "sluice.prekeys.check-interval", "1s"));

    private static String errorName(Throwable t) {
        Throwable cause = t instanceof ExecutionException ? t.getCause() : t;
        assertThat(cause).isInstanceOf(SluiceError.class);
        return ((SluiceError) cause).name();
    }

    private static void assertError(java.util.concurrent.CompletableFuture<?> request, String name) {
        assertThatThrownBy(() -> request.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .satisfies(t -> assertThat(errorName(t)).isEqualTo(name));
    }

    /** A registered device of a fresh identity, with its login connection. */
    private static SluiceClient registered(Identity identity, int device, String signed, String prefix, int keys)
            throws Exception {
        SluiceClient client = GATEWAY.login(identity, device);
        client.register(100 + device, bytes(signed), oneTime(prefix, keys)).get();
        return client;
    }

    @Nested
    class Login {
        @Test
        void challengeWithFresh32ByteNonceOnEveryConnection() throws Exception {
            byte[] first = GATEWAY.connect().nonce();
            byte[] second = GATEWAY.connect().nonce();
            assertThat(first).hasSize(32);
            assertThat(second).hasSize(32).isNotEqualTo(first);
        }

        @Test
        void goodSignatureIsAcked() throws Exception {
            SluiceClient client = GATEWAY.connect();
            client.login(Identity.generate(), 1).get();
            assertThat(client.isOpen()).isTrue();
        }

        @Test
        void badSignatureIsUnauthorizedThenClosed() throws Exception {
            SluiceClient client = GATEWAY.connect();
            Identity alice = Identity.generate();
            byte[] login = login(alice.userId(), 1, client.nonce());
            byte[] forged = Identity.generate().sign(login);

            assertError(client.authenticate(login, forged), "unauthorized");
            assertThat(client.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(1008);
        }

        @Test
        void wrongNonceIsUnauthorizedThenClosed() throws Exception {
            SluiceClient client = GATEWAY.connect();
            Identity alice = Identity.generate();
            byte[] login = login(alice.userId(), 1, new byte[32]);

            assertError(client.authenticate(login, alice.sign(login)), "unauthorized");
            assertThat(client.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(1008);
        }

        @Test
        void malformedLoginIsUnauthorizedThenClosed() throws Exception {
            SluiceClient client = GATEWAY.connect();
            Identity alice = Identity.generate();
            byte[] garbage = {(byte) 0xFF, 0x01, 0x02};

            assertError(client.authenticate(garbage, alice.sign(garbage)), "unauthorized");
            assertThat(client.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(1008);
        }

        @Test
        void loginWithInvalidUserIdIsUnauthorized() throws Exception {
            SluiceClient client = GATEWAY.connect();
            Identity alice = Identity.generate();
            byte[] userId = alice.userId();
            userId[0] = 0x07;
            byte[] login = login(userId, 1, client.nonce());

            assertError(client.authenticate(login, alice.sign(login)), "unauthorized");
        }

        @Test
        void secondLoginIsRejectedAndConnectionStaysAuthenticated() throws Exception {
            Identity alice = Identity.generate();
            SluiceClient client = GATEWAY.login(alice, 1);

            assertError(client.login(alice, 1), "attempted_anonymous_op_on_authenticated_connection");
            client.register(1, bytes("signed"), List.of()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        private static byte[] login(byte[] userId, int device, byte[] nonce) {
            return Messages.Login.newBuilder()
                    .setAddress(Messages.Address.newBuilder()
                            .setUserID(ByteString.copyFrom(userId))
                            .setDeviceID(device))
                    .setNonce(ByteString.copyFrom(nonce))
                    .build()
                    .toByteArray();
        }
    }

    @Nested
    class WhoMayAsk {
        @Test
        void registerOnAnonymousConnectionIsUnauthorizedAndConnectionStaysOpen() throws Exception {
            SluiceClient anon = GATEWAY.connect();
            assertError(anon.register(1, bytes("s"), List.of()), "unauthorized");
            assertError(anon.unregister(), "unauthorized");
            assertError(
                    anon.request(Messages.Message.newBuilder().setAck(Messages.Ack.getDefaultInstance())),
                    "unauthorized");
            assertError(anon.requestPreKeys(Identity.generate().userId(), Set.of()), "unknown_user");
        }

        @Test
        void anonymousOperationsOnAuthenticatedConnectionAreRejected() throws Exception {
            SluiceClient client = GATEWAY.login(Identity.generate(), 1);
            assertError(
                    client.requestPreKeys(Identity.generate().userId(), Set.of()),
                    "attempted_anonymous_op_on_authenticated_connection");
            assertError(
                    client.send(Identity.generate().userId(), 1, bytes("x")),
                    "attempted_anonymous_op_on_authenticated_connection");
        }
    }

    @Nested
    class PreKeys {
        @Test
        void onePreKeyPerDeviceThenClosingAckAllWithTheRequestSequence() throws Exception {
            Identity bob = Identity.generate();
            registered(bob, 1, "signed-1", "one", 2);
            registered(bob, 2, "signed-2", "two", 2);
            SluiceClient anon = GATEWAY.connect();

            List<Messages.Message> replies = anon.request(Messages.Message.newBuilder()
                            .setRequestPreKeys(
                                    Messages.RequestPreKeys.newBuilder().setUserID(ByteString.copyFrom(bob.userId()))))
                    .get();

            assertThat(replies).hasSize(3);
            assertThat(replies)
                    .extracting(Messages.Message::getSequence)
                    .containsOnly(replies.get(0).getSequence());
            assertThat(replies.get(2).hasAck()).isTrue();
            List<Messages.PreKey> keys = replies.subList(0, 2).stream()
                    .map(Messages.Message::getPreKey)
                    .toList();
            assertThat(keys).extracting(k -> k.getAddress().getDeviceID()).containsExactlyInAnyOrder(1, 2);
            for (Messages.PreKey key : keys) {
                int device = key.getAddress().getDeviceID();
                assertThat(key.getAddress().getUserID().toByteArray()).isEqualTo(bob.userId());
                assertThat(key.getRegistrationID()).isEqualTo(100 + device);
                assertThat(key.getSignedPreKey().toStringUtf8()).isEqualTo("signed-" + device);
                assertThat(key.getOneTimePreKey().toStringUtf8()).startsWith(device == 1 ? "one-" : "two-");
            }
        }

        @Test
        void knownDevicesAreSkipped() throws Exception {
            Identity bob = Identity.generate();
            registered(bob, 1, "s", "a", 1);
            registered(bob, 2, "s", "b", 1);

            List<Messages.PreKey> keys =
                    GATEWAY.connect().requestPreKeys(bob.userId(), Set.of(1)).get();
            assertThat(keys).extracting(k -> k.getAddress().getDeviceID()).containsExactly(2);
            assertThat(GATEWAY.connect()
                            .requestPreKeys(bob.userId(), Set.of(1, 2))
                            .get())
                    .isEmpty();
        }

        @Test
        void eachOneTimeKeyIsHandedOutOnceThenTheDeviceComesWithoutOne() throws Exception {
            Identity bob = Identity.generate();
            registered(bob, 1, "s", "k", 2);
            SluiceClient anon = GATEWAY.connect();
            List<String> handedOut = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Messages.PreKey key =
                        anon.requestPreKeys(bob.userId(), Set.of()).get().get(0);
                handedOut.add(key.getOneTimePreKey().toStringUtf8());
                assertThat(key.getSignedPreKey().toStringUtf8()).isEqualTo("s");
            }
            assertThat(handedOut).containsExactlyInAnyOrder("k-0", "k-1", "");
        }

        @Test
        void sameSignedPreKeyAppendsOtherReplaces() throws Exception {
            Identity bob = Identity.generate();
            SluiceClient device = registered(bob, 1, "s", "first", 1);
            device.register(101, bytes("s"), oneTime("more", 1)).get();
            SluiceClient anon = GATEWAY.connect();
            List<String> appended = List.of(
                    anon.requestPreKeys(bob.userId(), Set.of())
                            .get()
                            .get(0)
                            .getOneTimePreKey()
                            .toStringUtf8(),
                    anon.requestPreKeys(bob.userId(), Set.of())
                            .get()
                            .get(0)
                            .getOneTimePreKey()
                            .toStringUtf8());
            assertThat(appended).containsExactlyInAnyOrder("first-0", "more-0");

            device.register(101, bytes("s"), oneTime("a", 3)).get();
            device.register(101, bytes("rotated"), oneTime("b", 1)).get();
            Messages.PreKey replaced =
                    anon.requestPreKeys(bob.userId(), Set.of()).get().get(0);
            assertThat(replaced.getSignedPreKey().toStringUtf8()).isEqualTo("rotated");
            assertThat(replaced.getOneTimePreKey().toStringUtf8()).isEqualTo("b-0");
            assertThat(anon.requestPreKeys(bob.userId(), Set.of())
                            .get()
                            .get(0)
                            .getOneTimePreKey()
                            .isEmpty())
                    .isTrue();
        }

        @Test
        void unregisterRemovesTheDevice() throws Exception {
            Identity bob = Identity.generate();
            SluiceClient device = registered(bob, 1, "s", "k", 1);
            device.unregister().get();
            assertError(GATEWAY.connect().requestPreKeys(bob.userId(), Set.of()), "unknown_user");
        }

        @Test
        void badRequestsAreNamed() throws Exception {
            SluiceClient anon = GATEWAY.connect();
            assertError(anon.requestPreKeys(new byte[] {5, 1, 2}, Set.of()), "invalid_user_id");
            assertError(anon.requestPreKeys(new byte[0], Set.of()), "invalid_message");
            SluiceClient device = GATEWAY.login(Identity.generate(), 1);
            assertError(device.register(1, new byte[0], List.of()), "invalid_message");
        }

        @Test
        void preKeysLowOnLoginAndAgainEachCheckIntervalWhileBelowThreshold() throws Exception {
            Identity bob = Identity.generate();
            SluiceClient device = GATEWAY.login(bob, 1);
            assertThat(device.nextPreKeysLow(WAIT)).isEqualTo(20);

            device.register(1, bytes("s"), oneTime("k", 3)).get();
            assertThat(device.nextPreKeysLow(WAIT))
                    .as("still below 10 at the next check")
                    .isEqualTo(20);
        }

        @Test
        void noPreKeysLowWithEnoughKeys() throws Exception {
            Identity bob = Identity.generate();
            GATEWAY.login(bob, 1).register(1, bytes("s"), oneTime("k", 10)).get();
            SluiceClient device = GATEWAY.login(bob, 1);
            assertThat(device.nextPreKeysLow(Duration.ofMillis(2500)))
                    .as("two check intervals")
                    .isNull();
        }
    }

    @Nested
    class SealedMessages {
        @Test
        void deliveredToEveryLiveConnectionOfTheAddressOnly() throws Exception {
            Identity bob = Identity.generate();
            SluiceClient phone = GATEWAY.login(bob, 1);
            SluiceClient phoneAgain = GATEWAY.login(bob, 1);
            SluiceClient tablet = GATEWAY.login(bob, 2);

            GATEWAY.connect().send(bob.userId(), 1, bytes("hello")).get();

            assertThat(text(phone.nextInbound(WAIT).body())).isEqualTo("hello");
            assertThat(text(phoneAgain.nextInbound(WAIT).body())).isEqualTo("hello");
            assertThat(tablet.nextInbound(QUIET)).isNull();
        }

        @Test
        void inTheOrderAcceptedWithIncreasingServerSequences() throws Exception {
            Identity bob = Identity.generate();
            SluiceClient anon = GATEWAY.connect();
            for (int i = 0; i < 100; i++) {
                anon.send(bob.userId(), 1, bytes("m" + i)).get();
            }
            SluiceClient device = GATEWAY.login(bob, 1);
            int lastSequence = 0;
            for (int i = 0; i < 100; i++) {
                Inbound message = device.nextInbound(WAIT);
                assertThat(text(message.body())).isEqualTo("m" + i);
                assertThat(Integer.compareUnsigned(message.sequence(), lastSequence))
                        .isPositive();
                lastSequence = message.sequence();
                message.ack();
            }
        }

        @Test
        void unackedMessagesAreSentAgainToNewConnectionsAckedOnesNever() throws Exception {
            Identity bob = Identity.generate();
            SluiceClient anon = GATEWAY.connect();
            anon.send(bob.userId(), 1, bytes("acked")).get();
            anon.send(bob.userId(), 1, bytes("not acked")).get();

            SluiceClient first = GATEWAY.login(bob, 1);
            first.nextInbound(WAIT).ack();
            assertThat(text(first.nextInbound(WAIT).body())).isEqualTo("not acked");
            first.register(1, bytes("s"), List.of()).get(); // a round trip: the ack above has been handled
            first.close();

            SluiceClient second = GATEWAY.login(bob, 1);
            assertThat(text(second.nextInbound(WAIT).body())).isEqualTo("not acked");
            assertThat(second.nextInbound(QUIET)).isNull();
        }

        @Test
        void badRequestsAreNamed() throws Exception {
            SluiceClient anon = GATEWAY.connect();
            byte[] invalid = Identity.generate().userId();
            invalid[0] = 0x01;
            assertError(anon.send(invalid, 1, bytes("x")), "invalid_user_id");
            assertError(anon.send(Identity.generate().userId(), 1, new byte[0]), "invalid_message");
            assertError(
                    anon.request(Messages.Message.newBuilder()
                            .setOutboundMessage(Messages.OutboundMessage.newBuilder()
                                    .setUnidentifiedSenderMessage(ByteString.copyFromUtf8("x")))),
                    "invalid_message");
        }
    }

    @Nested
    class BadFrames {
        @Test
        void textFrameIsInvalidMessageWithSequenceZeroAndConnectionStaysUsable() throws Exception {
            SluiceClient anon = GATEWAY.connect();
            anon.sendText("hello?");
            assertInvalidMessageWithSequenceZero(anon);
            assertError(anon.requestPreKeys(Identity.generate().userId(), Set.of()), "unknown_user");
        }

        @Test
        void unparsableFrameIsInvalidMessageWithSequenceZeroAndConnectionStaysUsable() throws Exception {
            SluiceClient anon = GATEWAY.connect();
            anon.sendRaw(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}));
            assertInvalidMessageWithSequenceZero(anon);
            assertError(anon.requestPreKeys(Identity.generate().userId(), Set.of()), "unknown_user");
        }

        @Test
        void emptyOrServerOnlyPayloadIsInvalidMessage() throws Exception {
            SluiceClient anon = GATEWAY.connect();
            assertError(anon.request(Messages.Message.newBuilder()), "invalid_message");
            assertError(
                    anon.request(Messages.Message.newBuilder()
                            .setPreKeysLow(Messages.PreKeysLow.newBuilder().setKeysRequested(1))),
                    "invalid_message");
            assertError(
                    anon.request(Messages.Message.newBuilder().setInboundMessage(ByteString.copyFromUtf8("x"))),
                    "invalid_message");
        }

        @Test
        void frameOverTheLimitClosesOnlyItsConnectionWith1009() throws Exception {
            SluiceClient offender = GATEWAY.connect();
            SluiceClient bystander = GATEWAY.connect();
            Identity bob = Identity.generate();

            offender.send(bob.userId(), 1, new byte[60 * 1024]).get();
            offender.sendRaw(ByteBuffer.wrap(Messages.Message.newBuilder()
                    .setSequence(9)
                    .setOutboundMessage(Messages.OutboundMessage.newBuilder()
                            .setTo(Messages.Address.newBuilder().setUserID(ByteString.copyFrom(bob.userId())))
                            .setUnidentifiedSenderMessage(ByteString.copyFrom(new byte[70 * 1024])))
                    .build()
                    .toByteArray()));

            assertThat(offender.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(1009);
            bystander.send(bob.userId(), 1, bytes("still fine")).get();
        }

        private static void assertInvalidMessageWithSequenceZero(SluiceClient client) throws InterruptedException {
            Messages.Message reply = client.nextUnsolicited(WAIT);
            assertThat(reply).isNotNull();
            assertThat(reply.getSequence()).isZero();
            assertThat(reply.getError().getName()).isEqualTo("invalid_message");
        }
    }
}
