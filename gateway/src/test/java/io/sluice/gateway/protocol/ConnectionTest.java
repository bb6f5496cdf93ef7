package io.sluice.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.sluice.connector.embedded.EmbeddedMessageQueue;
import io.sluice.gateway.limits.Limits;
import io.sluice.gateway.limits.LimitsSettings;
import io.sluice.proto.Messages;
import io.sluice.spi.Address;
import io.sluice.spi.Enqueue;
import io.sluice.spi.Enqueued;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.QueueUsage;
import io.sluice.spi.QueuedMessage;
import io.sluice.spi.Rate;
import io.sluice.spi.RateLimiters;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private EmbeddedMessageQueue queue;
    private Connection connection;
    private final ProtocolSettings settings =
            new ProtocolSettings(10, 20, Duration.ofHours(1), 2, 16, Duration.ofSeconds(5));
    private KeyPair keys;
    private UserId userId;

    @BeforeEach
    void open() throws Exception {
        scheduler.setRemoveOnCancelPolicy(true);
        queue = EmbeddedMessageQueue.open(dir, false, Duration.ofDays(1));
        connection = new Connection(transport, services(queue, Limits.none()), "10.0.0.1");
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] encoded = keys.getPublic().getEncoded();
        byte[] id = new byte[33];
        id[0] = 5;
        System.arraycopy(encoded, encoded.length - 32, id, 1, 32);
        userId = UserId.of(id);
    }

    private ConnectionServices services(MessageQueue messages, Limits limits) {
        return new ConnectionServices(
                backend,
                messages,
                settings,
                Runnable::run,
                Runnable::run,
                scheduler,
                Deadlines.manual(settings.requestTimeout(), System::nanoTime),
                limits,
                ConnectionObserver.NONE);
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
            queue.enqueue(new Enqueue(self, ("m" + i).getBytes(StandardCharsets.UTF_8)), QueueQuota.NONE)
                    .toCompletableFuture()
                    .join();
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
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(
                                queue.read(self, 0, 10).toCompletableFuture().join())
                        .as("the acked message left the queue")
                        .hasSize(3));
    }

    @Test
    void closedConnectionReceivesNoMoreDeliveries() throws Exception {
        loggedIn();
        connection.onClose();
        queue.enqueue(new Enqueue(new Address(userId, 1), "late".getBytes(StandardCharsets.UTF_8)), QueueQuota.NONE)
                .toCompletableFuture()
                .join();
        assertThat(transport.nextWithin(Duration.ofMillis(200))).isNull();
    }

    @Test
    void aCloseDuringLoginLeavesNoSubscriptionOrPeriodicCheckBehind() throws Exception {
        AtomicInteger subscribed = new AtomicInteger();
        MessageQueue counting = new CountingQueue(queue, subscribed);
        // The failed-login limit's store answers only when the test says: the socket closes meanwhile.
        CompletableFuture<Boolean> storeAnswer = new CompletableFuture<>();
        RateLimiters slowStore = (name, rate) -> new RateLimiters.KeyedRateLimiter() {
            @Override
            public CompletionStage<Boolean> tryAcquire(String key) {
                return storeAnswer;
            }

            @Override
            public CompletionStage<Void> release(String key) {
                return CompletableFuture.completedFuture(null);
            }
        };
        Limits limits = Limits.of(
                new LimitsSettings(0, Rate.OFF, Rate.OFF, new Rate(10, Duration.ofMinutes(1)), Rate.OFF, 0, 0, "local"),
                slowStore,
                l -> {});
        Connection racing = new Connection(transport, services(counting, limits), "10.0.0.1");
        racing.open();
        byte[] challenge = transport.next().getAuthChallenge().getNonce().toByteArray();
        racing.onBinary(frame(login(1, challenge, 1)));
        racing.onClose();
        storeAnswer.complete(true);

        assertThat(subscribed).as("queue subscriptions left").hasValue(0);
        assertThat(scheduler.getQueue()).as("periodic tasks left").isEmpty();
    }

    @Test
    void pipelinedRequestsGetOneAnswerEachWithTheirOwnSequenceWhateverOrderTheyComplete() throws Exception {
        nonce();
        List<CompletableFuture<Void>> pending = new java.util.ArrayList<>();
        for (int seq = 1; seq <= 256; seq++) {
            CompletableFuture<Void> answer = new CompletableFuture<>();
            pending.add(answer);
            backend.next = answer;
            assertThat(connection.onBinary(outbound(seq)))
                    .as("reading stops at the in-flight limit of 16")
                    .isEqualTo(seq % 16 != 0);
            if (seq % 16 == 0) {
                // The pipeline is full: complete the batch backwards.
                for (int i = pending.size() - 1; i >= 0; i--) {
                    pending.get(i).complete(null);
                }
                pending.clear();
            }
        }
        java.util.Set<Integer> answered = new java.util.HashSet<>();
        for (int i = 0; i < 256; i++) {
            Messages.Message reply = transport.next();
            assertThat(reply.hasAck()).isTrue();
            assertThat(answered.add(reply.getSequence())).as("answered once").isTrue();
        }
        assertThat(answered).hasSize(256).allMatch(seq -> seq >= 1 && seq <= 256);
        assertThat(transport.nextWithin(Duration.ofMillis(100))).isNull();
    }

    @Test
    void aClaimTellsTheDevicesLiveConnectionItsStockIsLowAtOnce() throws Exception {
        backend.count = 100;
        loggedIn();
        assertThat(transport.nextWithin(Duration.ofMillis(100)))
                .as("stock is fine at login")
                .isNull();

        RecordingTransport anonymousSide = new RecordingTransport();
        Connection anonymous = new Connection(anonymousSide, services(queue, Limits.none()), "10.0.0.2");
        anonymous.open();
        anonymousSide.next();
        backend.count = 3;
        backend.bundles = List.of(new PreKeyBundle(1, 11, new byte[] {1}, new byte[] {2}));
        anonymous.onBinary(frame(Messages.Message.newBuilder()
                .setSequence(9)
                .setRequestPreKeys(
                        Messages.RequestPreKeys.newBuilder().setUserID(ByteString.copyFrom(userId.toByteArray())))));
        assertThat(anonymousSide.next().hasPreKey()).isTrue();
        assertThat(anonymousSide.next().hasAck()).isTrue();

        Messages.Message low = transport.next();
        assertThat(low.getPreKeysLow().getKeysRequested()).isEqualTo(20);

        anonymous.onBinary(frame(Messages.Message.newBuilder()
                .setSequence(10)
                .setRequestPreKeys(
                        Messages.RequestPreKeys.newBuilder().setUserID(ByteString.copyFrom(userId.toByteArray())))));
        anonymousSide.next();
        anonymousSide.next();
        assertThat(transport.nextWithin(Duration.ofMillis(200)))
                .as("told once, not once per claim")
                .isNull();
        anonymous.onClose();
    }

    /** Counts live subscriptions. */
    private static final class CountingQueue implements MessageQueue {
        private final MessageQueue inner;
        private final AtomicInteger subscribed;

        CountingQueue(MessageQueue inner, AtomicInteger subscribed) {
            this.inner = inner;
            this.subscribed = subscribed;
        }

        @Override
        public CompletionStage<List<Enqueued>> enqueue(List<Enqueue> messages, QueueQuota quota) {
            return inner.enqueue(messages, quota);
        }

        @Override
        public CompletionStage<List<QueuedMessage>> read(Address recipient, long afterId, int max) {
            return inner.read(recipient, afterId, max);
        }

        @Override
        public CompletionStage<Void> acknowledge(Address recipient, long id) {
            return inner.acknowledge(recipient, id);
        }

        @Override
        public CompletionStage<QueueUsage> usage(Address recipient) {
            return inner.usage(recipient);
        }

        @Override
        public Subscription subscribe(Address recipient, Listener listener) {
            subscribed.incrementAndGet();
            Subscription subscription = inner.subscribe(recipient, listener);
            AtomicBoolean once = new AtomicBoolean();
            return () -> {
                if (once.compareAndSet(false, true)) {
                    subscribed.decrementAndGet();
                    subscription.close();
                }
            };
        }

        @Override
        public CompletionStage<Void> signal(Address recipient, Signal signal) {
            return inner.signal(recipient, signal);
        }

        @Override
        public void close() {}
    }
}
