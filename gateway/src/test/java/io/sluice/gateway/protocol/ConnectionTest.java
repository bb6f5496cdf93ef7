package io.sluice.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.sluice.connector.embedded.EmbeddedMessageQueue;
import io.sluice.proto.Messages;
import io.sluice.spi.Address;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.UserId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state machine of one connection, with a recording transport and a fake backend: no sockets. */
class ConnectionTest {
    @TempDir
    Path dir;

    private final RecordingTransport transport = new RecordingTransport();
    private final FakeBackend backend = new FakeBackend();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private EmbeddedMessageQueue queue;
    private Connection connection;
    private KeyPair keys;
    private UserId userId;

    @BeforeEach
    void open() throws Exception {
        queue = EmbeddedMessageQueue.open(dir, false, Duration.ofDays(1));
        connection = new Connection(
                transport,
                new ConnectionServices(
                        backend,
                        queue,
                        new ProtocolSettings(10, 20, Duration.ofHours(1), 2, 16, Duration.ofSeconds(5)),
                        Runnable::run,
                        scheduler));
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] encoded = keys.getPublic().getEncoded();
        byte[] id = new byte[33];
        id[0] = 5;
        System.arraycopy(encoded, encoded.length - 32, id, 1, 32);
        userId = UserId.of(id);
    }

    @AfterEach
    void close() {
        connection.onClose();
        scheduler.shutdownNow();
        queue.close();
    }

    private byte[] nonce() throws InterruptedException {
        connection.open();
        Messages.Message challenge = transport.next();
        assertThat(challenge.getSequence()).isEqualTo(1);
        return challenge.getAuthChallenge().getNonce().toByteArray();
    }

    private static ByteBuffer frame(Messages.Message.Builder message) {
        return ByteBuffer.wrap(message.build().toByteArray());
    }

    private Messages.Message.Builder login(int seq, byte[] nonce, int device) throws Exception {
        byte[] login = Messages.Login.newBuilder()
                .setAddress(Messages.Address.newBuilder()
                        .setUserID(ByteString.copyFrom(userId.toByteArray()))
                        .setDeviceID(device))
                .setNonce(ByteString.copyFrom(nonce))
                .build()
                .toByteArray();
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(keys.getPrivate());
        signer.update(login);
        return Messages.Message.newBuilder()
                .setSequence(seq)
                .setAuthResponse(Messages.AuthResponse.newBuilder()
                        .setLogin(ByteString.copyFrom(login))
                        .setSignature(ByteString.copyFrom(signer.sign())));
    }

    private void loggedIn() throws Exception {
        connection.onBinary(frame(login(1, nonce(), 1)));
        assertThat(transport.next().hasAck()).isTrue();
    }

    @Test
    void registerIsRefusedBeforeLoginWithoutReachingTheBackend() throws Exception {
        nonce();
        connection.onBinary(frame(Messages.Message.newBuilder()
                .setSequence(4)
                .setRegister(Messages.Register.newBuilder().setSignedPreKey(ByteString.copyFromUtf8("s")))));

        Messages.Message reply = transport.next();
        assertThat(reply.getSequence()).isEqualTo(4);
        assertThat(reply.getError().getName()).isEqualTo("unauthorized");
        assertThat(backend.calls).isEmpty();
        assertThat(transport.closedWith).isNull();
    }

    @Test
    void loginBindsTheAddressForLaterRequests() throws Exception {
        loggedIn();
        connection.onBinary(frame(Messages.Message.newBuilder()
                .setSequence(2)
                .setRegister(Messages.Register.newBuilder().setSignedPreKey(ByteString.copyFromUtf8("s")))));

        assertThat(transport.next().getSequence()).isEqualTo(2);
        assertThat(backend.calls).containsExactly("register " + new Address(userId, 1) + " seq=2");
    }

    @Test
    void loginAnsweringAnotherNonceIsRefusedAndClosesWithPolicyViolation() throws Exception {
        nonce();
        connection.onBinary(frame(login(3, new byte[32], 1)));

        assertThat(transport.next().getError().getName()).isEqualTo("unauthorized");
        assertThat(transport.closedWith).isEqualTo(CloseStatus.POLICY_VIOLATION);
    }

    @Test
    void backendFailureIsUnavailableWithTheRequestSequence() throws Exception {
        nonce();
        backend.next = CompletableFuture.failedFuture(new java.net.ConnectException("refused"));
        connection.onBinary(frame(Messages.Message.newBuilder()
                .setSequence(77)
                .setOutboundMessage(Messages.OutboundMessage.newBuilder()
                        .setTo(Messages.Address.newBuilder().setUserID(ByteString.copyFrom(userId.toByteArray())))
                        .setUnidentifiedSenderMessage(ByteString.copyFromUtf8("x")))));

        Messages.Message reply = transport.next();
        assertThat(reply.getSequence()).isEqualTo(77);
        assertThat(reply.getError().getName()).isEqualTo("unavailable");
        assertThat(reply.getError().getDescription()).contains("ConnectException");
    }

    private ByteBuffer outbound(int seq) {
        return frame(Messages.Message.newBuilder()
                .setSequence(seq)
                .setOutboundMessage(Messages.OutboundMessage.newBuilder()
                        .setTo(Messages.Address.newBuilder().setUserID(ByteString.copyFrom(userId.toByteArray())))
                        .setUnidentifiedSenderMessage(ByteString.copyFromUtf8("x"))));
    }

    @Test
    void drainingAnswersNewRequestsUnavailableAndCompletesOnceThoseInProgressAreAnswered() throws Exception {
        nonce();
        CompletableFuture<Void> slowBackend = new CompletableFuture<>();
        backend.next = slowBackend;
        connection.onBinary(outbound(1));

        CompletableFuture<Void> drained = connection.drain().toCompletableFuture();
        assertThat(drained).as("request 1 is still in progress").isNotDone();
        connection.onBinary(outbound(2));
        Messages.Message refused = transport.next();
        assertThat(refused.getSequence()).isEqualTo(2);
        assertThat(refused.getError().getName()).isEqualTo("unavailable");
        assertThat(backend.calls)
                .as("the refused request never reached the backend")
                .hasSize(1);

        slowBackend.complete(null);
        assertThat(transport.next().getSequence()).as("request 1 is answered").isEqualTo(1);
        assertThat(drained).isDone();
    }

    @Test
    void drainingAnIdleConnectionCompletesAtOnce() throws Exception {
        nonce();
        assertThat(connection.drain().toCompletableFuture()).isDone();
    }

    @Test
    void preKeysAreOneFramePerDeviceThenAck() throws Exception {
        nonce();
        backend.bundles = List.of(
                new PreKeyBundle(1, 11, new byte[] {1}, new byte[] {2}), new PreKeyBundle(2, 12, new byte[] {3}, null));
        connection.onBinary(frame(Messages.Message.newBuilder()
                .setSequence(5)
                .setRequestPreKeys(
                        Messages.RequestPreKeys.newBuilder().setUserID(ByteString.copyFrom(userId.toByteArray())))));

        Messages.Message first = transport.next();
        Messages.Message second = transport.next();
        Messages.Message last = transport.next();
        assertThat(List.of(first, second, last))
                .extracting(Messages.Message::getSequence)
                .containsOnly(5);
        assertThat(first.getPreKey().getOneTimePreKey().toByteArray()).containsExactly(2);
        assertThat(second.getPreKey().getOneTimePreKey().isEmpty()).isTrue();
        assertThat(last.hasAck()).isTrue();
    }

    @Test
    void preKeysLowAfterLoginWhenBelowThreshold() throws Exception {
        backend.count = 3;
        loggedIn();
        Messages.Message low = transport.next();
        assertThat(low.getPreKeysLow().getKeysRequested()).isEqualTo(20);
        assertThat(low.getSequence()).isEqualTo(2);
    }

    @Test
    void deliveryKeepsAtMostTheWindowUnackedAndGoesOnAfterEachAck() throws Exception {
        Address self = new Address(userId, 1);
        for (int i = 0; i < 4; i++) {
            queue.enqueue(self, ("m" + i).getBytes(StandardCharsets.UTF_8), null);
        }
        loggedIn();
        Messages.Message first = transport.next();
        Messages.Message second = transport.next();
        assertThat(List.of(first, second))
                .extracting(m -> m.getInboundMessage().toStringUtf8())
                .containsExactly("m0", "m1");
        assertThat(transport.nextWithin(Duration.ofMillis(200)))
                .as("window of 2 is full")
                .isNull();

        connection.onBinary(frame(Messages.Message.newBuilder()
                .setSequence(first.getSequence())
                .setAck(Messages.Ack.getDefaultInstance())));

        assertThat(transport.next().getInboundMessage().toStringUtf8()).isEqualTo("m2");
        assertThat(queue.read(self, 0, 10)).hasSize(3);
    }

    @Test
    void closedConnectionReceivesNoMoreDeliveries() throws Exception {
        loggedIn();
        connection.onClose();
        queue.enqueue(new Address(userId, 1), "late".getBytes(StandardCharsets.UTF_8), null);
        assertThat(transport.nextWithin(Duration.ofMillis(200))).isNull();
    }
}
