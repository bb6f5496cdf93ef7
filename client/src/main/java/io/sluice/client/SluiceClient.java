package io.sluice.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sluice.proto.Messages;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A client of the Sluice protocol over one WebSocket connection.
 *
 * <pre>{@code
 * SluiceClient alice = SluiceClient.connect(uri).get();
 * alice.login(identity, 1).get();                      // authenticated connection
 * SluiceClient anon = SluiceClient.connect(uri).get(); // anonymous connection
 * anon.send(bobUserId, 1, sealed).get();               // acked once durably queued
 * Inbound m = bob.nextInbound(Duration.ofSeconds(5));
 * m.ack();
 * }</pre>
 *
 * Requests are correlated with their responses by sequence and fail with {@link SluiceError} on an
 * {@code Error} reply, or with a {@code TimeoutException} past the request timeout. Server-initiated
 * messages arrive through {@link #nextInbound}, {@link #nextPreKeysLow} and, for anything else (an error with
 * sequence 0), {@link #nextUnsolicited}.
 */
public final class SluiceClient implements AutoCloseable {
    private static volatile WebSocketClient shared;

    private final ClientOptions options;
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicLong pings = new AtomicLong();
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<byte[]> challenge = new CompletableFuture<>();
    private final CompletableFuture<CloseInfo> closed = new CompletableFuture<>();
    private final BlockingQueue<Inbound> inbound = new LinkedBlockingQueue<>();
    private final BlockingQueue<Integer> preKeysLow = new LinkedBlockingQueue<>();
    private final BlockingQueue<Messages.Message> unsolicited = new LinkedBlockingQueue<>();
    private volatile Consumer<Inbound> inboundHandler = inbound::add;
    private volatile Session session;

    /** How the server closed the connection. */
    public record CloseInfo(int code, String reason) {}

    private record Pending(List<Messages.Message> responses, CompletableFuture<List<Messages.Message>> done) {}

    private SluiceClient(ClientOptions options) {
        this.options = options;
    }

    /** Connects with default options through a shared Jetty client; completes once the challenge arrived. */
    public static CompletableFuture<SluiceClient> connect(URI uri) {
        return connect(sharedWebSocketClient(), uri, ClientOptions.defaults());
    }

    /**
     * Connects with these options through a shared Jetty client, or a new one (never stopped) when binding an
     * address or trusting a trust store of its own; see {@link #newWebSocketClient} to manage it yourself.
     */
    public static CompletableFuture<SluiceClient> connect(URI uri, ClientOptions options) {
        boolean ownClient = options.bindAddress() != null || options.trustStore() != null;
        return connect(ownClient ? newWebSocketClient(options) : sharedWebSocketClient(), uri, options);
    }

    /** Connects through the given Jetty client; completes once the server's challenge arrived. */
    public static CompletableFuture<SluiceClient> connect(WebSocketClient webSockets, URI uri, ClientOptions options) {
        SluiceClient client = new SluiceClient(options);
        try {
            return webSockets
                    .connect(client.new Listener(), uri)
                    .thenCompose(s -> client.challenge)
                    .thenApply(nonce -> client)
                    .orTimeout(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.io.IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A started Jetty WebSocket client for these options; the caller stops it. */
    public static WebSocketClient newWebSocketClient(ClientOptions options) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("sluice-client");
        threads.setDaemon(true);
        HttpClient http = new HttpClient();
        http.setExecutor(threads);
        if (options.bindAddress() != null) {
            http.setBindAddress(options.bindAddress());
        }
        if (options.trustStore() != null) {
            SslContextFactory.Client tls = new SslContextFactory.Client();
            tls.setTrustStore(options.trustStore());
            http.setSslContextFactory(tls);
        }
        WebSocketClient client = new WebSocketClient(http);
        client.setMaxBinaryMessageSize(options.maxFrameBytes());
        client.setMaxFrameSize(options.maxFrameBytes());
        client.setIdleTimeout(java.time.Duration.ofMinutes(10));
        client.setStopAtShutdown(true);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the WebSocket client", e);
        }
        return client;
    }

    private static WebSocketClient sharedWebSocketClient() {
        WebSocketClient client = shared;
        if (client == null) {
            synchronized (SluiceClient.class) {
                if (shared == null) {
                    shared = newWebSocketClient(ClientOptions.defaults());
                }
                client = shared;
            }
        }
        return client;
    }

    /** The nonce of the server's AuthChallenge. */
    public byte[] nonce() {
        return challenge.join().clone();
    }

    /** Logs in as {@code identity}'s device {@code deviceId}, signing the challenge. */
    public CompletableFuture<Void> login(Identity identity, int deviceId) {
        byte[] login = Messages.Login.newBuilder()
                .setAddress(address(identity.userId(), deviceId))
                .setNonce(ByteString.copyFrom(nonce()))
                .build()
                .toByteArray();
        return authenticate(login, identity.sign(login));
    }

    /** Sends an AuthResponse with exactly these bytes, for tests of bad logins. */
    public CompletableFuture<Void> authenticate(byte[] login, byte[] signature) {
        return requestAck(Messages.Message.newBuilder()
                .setAuthResponse(Messages.AuthResponse.newBuilder()
                        .setLogin(ByteString.copyFrom(login))
                        .setSignature(ByteString.copyFrom(signature))));
    }

    /** Registers a signed prekey and one-time prekeys for this connection's Address. */
    public CompletableFuture<Void> register(int registrationId, byte[] signedPreKey, List<byte[]> oneTimePreKeys) {
        Messages.Register.Builder register = Messages.Register.newBuilder()
                .setRegistrationID(registrationId)
                .setSignedPreKey(ByteString.copyFrom(signedPreKey));
        oneTimePreKeys.forEach(k -> register.addOneTimePreKeys(ByteString.copyFrom(k)));
        return requestAck(Messages.Message.newBuilder().setRegister(register));
    }

    /** Removes this connection's Address's registration. */
    public CompletableFuture<Void> unregister() {
        return requestAck(Messages.Message.newBuilder().setUnregister(Messages.Unregister.getDefaultInstance()));
    }

    /** Claims the prekeys of every device of {@code userId} not in {@code knownDeviceIds}. */
    public CompletableFuture<List<Messages.PreKey>> requestPreKeys(byte[] userId, Collection<Integer> knownDeviceIds) {
        return request(Messages.Message.newBuilder()
                        .setRequestPreKeys(Messages.RequestPreKeys.newBuilder()
                                .setUserID(ByteString.copyFrom(userId))
                                .addAllKnownDeviceIDs(knownDeviceIds)))
                .thenApply(responses -> responses.stream()
                        .filter(Messages.Message::hasPreKey)
                        .map(Messages.Message::getPreKey)
                        .toList());
    }

    /** Sends a sealed message to a device; completes once the server acked it. */
    public CompletableFuture<Void> send(byte[] userId, int deviceId, byte[] sealed) {
        return requestAck(Messages.Message.newBuilder()
                .setOutboundMessage(Messages.OutboundMessage.newBuilder()
                        .setTo(address(userId, deviceId))
                        .setUnidentifiedSenderMessage(ByteString.copyFrom(sealed))));
    }

    /**
     * Sends a request, assigning its sequence, and completes with every response carrying that sequence up to
     * and including the closing {@code ack}; fails with {@link SluiceError} on an error reply.
     */
    public CompletableFuture<List<Messages.Message>> request(Messages.Message.Builder message) {
        int seq = sequence.incrementAndGet();
        Pending entry = new Pending(new ArrayList<>(), new CompletableFuture<>());
        pending.put(seq, entry);
        CompletableFuture<List<Messages.Message>> done = entry.done()
                .orTimeout(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, t) -> pending.remove(seq));
        sendRaw(ByteBuffer.wrap(message.setSequence(seq).build().toByteArray()));
        return done;
    }

    private CompletableFuture<Void> requestAck(Messages.Message.Builder message) {
        return request(message).thenApply(r -> null);
    }

    /** Sends bytes as one binary frame, as they are. */
    public void sendRaw(ByteBuffer frame) {
        Session current = session;
        if (current == null || !current.isOpen()) {
            throw new IllegalStateException("the connection is closed");
        }
        current.sendBinary(frame, Callback.NOOP);
    }

    /** Sends a text frame, which the protocol does not use: for tests. */
    public void sendText(String text) {
        session.sendText(text, Callback.NOOP);
    }

    /** Handles inbound messages with {@code handler} instead of queueing them for {@link #nextInbound}. */
    public void onInbound(Consumer<Inbound> handler) {
        this.inboundHandler = handler;
        for (Inbound waiting; (waiting = inbound.poll()) != null; ) {
            handler.accept(waiting);
        }
    }

    /** The next inbound message, or null if none arrives within the timeout. */
    public Inbound nextInbound(java.time.Duration timeout) throws InterruptedException {
        return inbound.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The keysRequested of the next PreKeysLow, or null if none arrives within the timeout. */
    public Integer nextPreKeysLow(java.time.Duration timeout) throws InterruptedException {
        return preKeysLow.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next message that answers no pending request (an error with sequence 0), or null. */
    public Messages.Message nextUnsolicited(java.time.Duration timeout) throws InterruptedException {
        return unsolicited.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes when the connection closes, with the close code and reason. */
    public CompletableFuture<CloseInfo> closed() {
        return closed;
    }

    /** How many pings the server sent; each was answered with a pong. */
    public long pingsReceived() {
        return pings.get();
    }

    /** Whether the connection is open. */
    public boolean isOpen() {
        Session current = session;
        return current != null && current.isOpen();
    }

    @Override
    public void close() {
        Session current = session;
        if (current != null && current.isOpen()) {
            current.close(1000, "bye", Callback.NOOP);
        }
    }

    private static Messages.Address.Builder address(byte[] userId, int deviceId) {
        return Messages.Address.newBuilder()
                .setUserID(ByteString.copyFrom(userId))
                .setDeviceID(deviceId);
    }

    private void onMessage(Messages.Message message) {
        switch (message.getPayloadCase()) {
            case AUTHCHALLENGE ->
                challenge.complete(message.getAuthChallenge().getNonce().toByteArray());
            case INBOUNDMESSAGE ->
                inboundHandler.accept(new Delivered(
                        message.getSequence(), message.getInboundMessage().toByteArray()));
            case PREKEYSLOW -> preKeysLow.add(message.getPreKeysLow().getKeysRequested());
            case ACK, ERROR, PREKEY -> {
                Pending entry = pending.get(message.getSequence());
                if (entry == null) {
                    unsolicited.add(message);
                    return;
                }
                synchronized (entry) {
                    entry.responses().add(message);
                }
                if (message.hasAck()) {
                    entry.done().complete(List.copyOf(entry.responses()));
                } else if (message.hasError()) {
                    entry.done()
                            .completeExceptionally(new SluiceError(
                                    message.getError().getName(),
                                    message.getError().getDescription()));
                }
            }
            default -> unsolicited.add(message);
        }
    }

    private final class Delivered implements Inbound {
        private final int seq;
        private final byte[] body;

        Delivered(int seq, byte[] body) {
            this.seq = seq;
            this.body = body;
        }

        @Override
        public byte[] body() {
            return body;
        }

        @Override
        public int sequence() {
            return seq;
        }

        @Override
        public void ack() {
            sendRaw(ByteBuffer.wrap(Messages.Message.newBuilder()
                    .setSequence(seq)
                    .setAck(Messages.Ack.getDefaultInstance())
                    .build()
                    .toByteArray()));
        }
    }

    /** Public only because Jetty binds listener methods through method handles; not API. */
    public final class Listener implements Session.Listener.AutoDemanding {
        private Listener() {}

        @Override
        public void onWebSocketOpen(Session opened) {
            session = opened;
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            try {
                onMessage(Messages.Message.parseFrom(payload));
                callback.succeed();
            } catch (InvalidProtocolBufferException e) {
                callback.fail(e);
            }
        }

        @Override
        public void onWebSocketPing(ByteBuffer payload) {
            pings.incrementAndGet();
            session.sendPong(payload, Callback.NOOP);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closed.complete(new CloseInfo(statusCode, reason));
            IllegalStateException gone = new IllegalStateException("connection closed: " + statusCode + " " + reason);
            challenge.completeExceptionally(gone);
            pending.values().forEach(p -> p.done().completeExceptionally(gone));
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            challenge.completeExceptionally(cause);
        }
    }
}
