package io.sluice.client;

import com.google.protobuf.ByteString;
import io.sluice.proto.Messages;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A client of the Sluice protocol.
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
 * Requests are correlated with their responses by sequence and fail with {@link SluiceError} on an {@code Error}
 * reply (its {@link SluiceError#name() name} is the protocol's), with a {@link TimeoutException} past the request
 * timeout, or with a {@link ConnectionLostException}. Server-initiated messages arrive through
 * {@link #nextInbound} (or {@link #onInbound}), {@link #nextPreKeysLow} and, for anything else (an error with
 * sequence 0), {@link #nextUnsolicited}.
 *
 * <h2>One connection, or a client that survives a lost gateway</h2>
 * With {@link ClientOptions#defaults()} a client is one WebSocket: when it closes, {@link #closed()} completes
 * and requests fail. With {@link ClientOptions.Builder#reconnect(Backoff)} the client reopens a lost connection
 * after a wait drawn from the backoff (exponential, full jitter), trying its {@link ClientOptions#endpoints()} in
 * turn, and logs in again as the identity of the last successful {@link #login}. The caller sees a blip:
 *
 * <ul>
 *   <li>Requests made while there is no connection wait for the next one, within their timeout.
 *   <li>Requests sent on a connection that is lost before their answer: {@link #send}, {@link #requestPreKeys}
 *       and {@link #unregister} are sent again on the next connection, because running them twice is harmless
 *       in this protocol: a sealed message may arrive twice, which a recipient already handles because delivery
 *       is at least once; a prekey claim whose answer was lost has spent its one-time prekey either way; an
 *       unregister is idempotent. {@link #register} and {@link #request} fail with
 *       {@link ConnectionLostException}, because the server may already have stored the registration and a
 *       second one with the same keys would append its one-time prekeys twice: the caller decides.
 *   <li>An {@code unavailable} answer means nothing was stored: the request is sent again after a backoff wait,
 *       within its timeout; past it, it fails with that {@link SluiceError}. Other errors fail the request.
 *   <li>An {@link Inbound} delivered on a lost connection acks nothing ({@link Inbound#ack()} returns false):
 *       its sequence belongs to that connection. The server delivers it again on the next connection, where it
 *       is acked; messages of the lost connection not yet taken from {@link #nextInbound} are dropped for that
 *       reason. No ack is ever sent twice, nor on a connection other than the one that delivered the message.
 * </ul>
 */
public final class SluiceClient implements AutoCloseable {
    private static volatile WebSocketClient shared;
    // Deadlines, backoff waits and state listeners of every client: small, non-blocking tasks.
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final ClientOptions options;
    private final WebSocketClient webSockets;
    private final List<URI> endpoints;
    private final Backoff backoff;
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicLong pings = new AtomicLong();
    private final BlockingQueue<Inbound> inbound = new LinkedBlockingQueue<>();
    private final BlockingQueue<Integer> preKeysLow = new LinkedBlockingQueue<>();
    private final BlockingQueue<Messages.Message> unsolicited = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseInfo> closed = new CompletableFuture<>();
    private final CompletableFuture<SluiceClient> firstConnection = new CompletableFuture<>();
    private final List<Consumer<ConnectionState>> stateListeners = new CopyOnWriteArrayList<>();
    private final Connection.Events events = new Events();
    private volatile Consumer<Inbound> inboundHandler = inbound::add;

    private final Object lock = new Object();
    // Guarded by lock.
    private Connection current;
    private boolean ready;
    private final ArrayDeque<Call> waiting = new ArrayDeque<>();
    private Login login;
    private ConnectionState state = ConnectionState.CONNECTING;
    private int failures;
    private int nextEndpoint;
    private Throwable lastFailure;
    private ScheduledFuture<?> nextAttempt;
    private boolean closing;

    /** How the server closed the connection. */
    public record CloseInfo(int code, String reason) {}

    /**
     * The identity this client logs in as on every connection, the future of the login call, and whether a login
     * as it succeeded (after which a failed login is the connection's problem, not the identity's).
     */
    private record Login(
            Identity identity,
            int deviceId,
            CompletableFuture<Void> done,
            java.util.concurrent.atomic.AtomicBoolean succeeded) {
        Login(Identity identity, int deviceId) {
            this(identity, deviceId, new CompletableFuture<>(), new java.util.concurrent.atomic.AtomicBoolean());
        }
    }

    private SluiceClient(WebSocketClient webSockets, List<URI> endpoints, ClientOptions options) {
        this.options = options;
        this.webSockets = webSockets;
        this.endpoints = List.copyOf(endpoints);
        this.backoff = options.reconnect();
    }

    /** Connects with default options through a shared Jetty client; completes once the challenge arrived. */
    public static CompletableFuture<SluiceClient> connect(URI uri) {
        return connect(sharedWebSocketClient(), uri, ClientOptions.defaults());
    }

    /**
     * Connects to {@code uri} (not to the options' endpoints) with these options, through a shared Jetty client,
     * or a new one (never stopped) when binding an address or trusting a trust store of its own; see
     * {@link #newWebSocketClient} to manage it yourself.
     */
    public static CompletableFuture<SluiceClient> connect(URI uri, ClientOptions options) {
        return connect(webSocketClientFor(options), uri, options);
    }

    /**
     * Connects to the options' {@link ClientOptions#endpoints() endpoints}, the first that answers; with
     * {@link ClientOptions#reconnect()} it keeps trying, after backoff waits, until the request timeout, and
     * then fails with a {@link ConnectException} naming the last failure.
     */
    public static CompletableFuture<SluiceClient> connect(ClientOptions options) {
        return connect(webSocketClientFor(options), options);
    }

    /** Connects to the options' endpoints through the given Jetty client. */
    public static CompletableFuture<SluiceClient> connect(WebSocketClient webSockets, ClientOptions options) {
        if (options.endpoints().isEmpty()) {
            throw new IllegalArgumentException("endpoints: [] (expected: at least one ws:// or wss:// URI)");
        }
        return new SluiceClient(webSockets, options.endpoints(), options).start();
    }

    /** Connects to {@code uri} through the given Jetty client; completes once the server's challenge arrived. */
    public static CompletableFuture<SluiceClient> connect(WebSocketClient webSockets, URI uri, ClientOptions options) {
        return new SluiceClient(webSockets, List.of(uri), options).start();
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
        client.setIdleTimeout(options.idleTimeout());
        client.setStopAtShutdown(true);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the WebSocket client", e);
        }
        return client;
    }

    private static WebSocketClient webSocketClientFor(ClientOptions options) {
        boolean ownClient = options.bindAddress() != null || options.trustStore() != null;
        return ownClient ? newWebSocketClient(options) : sharedWebSocketClient();
    }

    private static WebSocketClient sharedWebSocketClient() {
        WebSocketClient client = shared;
        if (client == null) {
            synchronized (SluiceClient.class) {
                if (shared == null) {
                    // Each connection sets its own frame limit and idle timeout from its client's options.
                    shared = newWebSocketClient(ClientOptions.defaults());
                }
                client = shared;
            }
        }
        return client;
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "sluice-client-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private CompletableFuture<SluiceClient> start() {
        long timeoutMillis = options.requestTimeout().toMillis();
        ScheduledFuture<?> deadline = TIMER.schedule(
                () -> {
                    Throwable last;
                    synchronized (lock) {
                        last = lastFailure;
                    }
                    ConnectException failure = new ConnectException("no connection to " + endpoints + " within "
                            + timeoutMillis + " ms" + (last == null ? "" : " (last failure: " + describe(last) + ")"));
                    failure.initCause(last);
                    if (firstConnection.completeExceptionally(failure)) {
                        close();
                    }
                },
                timeoutMillis,
                TimeUnit.MILLISECONDS);
        firstConnection.whenComplete((c, t) -> deadline.cancel(false));
        attempt();
        return firstConnection;
    }

    /** Opens a connection to the next endpoint. */
    private void attempt() {
        Connection connection;
        synchronized (lock) {
            if (closing) {
                return;
            }
            nextAttempt = null;
            connection = new Connection(events, endpoints.get(nextEndpoint % endpoints.size()), options);
            current = connection;
            ready = false;
        }
        CompletableFuture<?> opened;
        try {
            opened = webSockets.connect(connection, connection.uri());
        } catch (IOException e) {
            opened = CompletableFuture.failedFuture(e);
        }
        opened.thenCompose(session -> connection.challenge())
                .orTimeout(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((nonce, failure) -> {
                    if (failure == null) {
                        connected(connection);
                    } else {
                        connection.abort();
                        lost(connection, new CloseInfo(1006, describe(failure)), unwrap(failure));
                    }
                });
    }

    /** The challenge arrived: log in again if this client has an identity, else the connection is ready. */
    private void connected(Connection connection) {
        Login identity;
        synchronized (lock) {
            if (closing) {
                connection.close(1000, "bye");
                return;
            }
            if (connection != current || connection.lost()) {
                return;
            }
            identity = login;
            if (identity == null || backoff == null) {
                becomeReady(connection);
                return;
            }
        }
        logIn(connection, identity, true);
    }

    // Guarded by lock.
    private void becomeReady(Connection connection) {
        ready = true;
        failures = 0;
        lastFailure = null;
        setState(ConnectionState.OPEN);
        for (Call call; (call = waiting.poll()) != null; ) {
            transmit(connection, call);
        }
        TIMER.execute(() -> firstConnection.complete(this));
    }

    /**
     * Sends the login on {@code connection}. When {@code gate} (a reconnect), the connection becomes ready only
     * once the login is acked, so that no request of an authenticated client reaches an anonymous connection.
     */
    private void logIn(Connection connection, Login identity, boolean gate) {
        Call call = new Call(
                "authResponse",
                on -> {
                    byte[] loginBytes = Messages.Login.newBuilder()
                            .setAddress(address(identity.identity().userId(), identity.deviceId()))
                            .setNonce(ByteString.copyFrom(on.challenge().join()))
                            .build()
                            .toByteArray();
                    return authResponse(loginBytes, identity.identity().sign(loginBytes));
                },
                Call.OnLoss.FAIL,
                deadline());
        armDeadline(call);
        synchronized (lock) {
            transmit(connection, call);
        }
        call.result().whenComplete((ok, thrown) -> {
            Throwable failure = unwrap(thrown);
            if (failure == null) {
                identity.succeeded().set(true);
                identity.done().complete(null);
                if (gate) {
                    synchronized (lock) {
                        if (connection == current && !connection.lost() && !closing) {
                            becomeReady(connection);
                        }
                    }
                }
                return;
            }
            if (backoff != null && failure instanceof ConnectionLostException) {
                return; // the next connection logs in again
            }
            boolean refused =
                    failure instanceof SluiceError error && error.name().equals(SluiceError.UNAUTHORIZED);
            if (refused || !identity.succeeded().get()) {
                // A login that fails is forgotten; the connection (left open unless refused) goes on anonymous.
                synchronized (lock) {
                    if (login == identity) {
                        login = null;
                    }
                    if (gate && !refused && connection == current && !connection.lost() && !closing) {
                        becomeReady(connection);
                    }
                }
                identity.done().completeExceptionally(failure);
            } else if (gate) {
                // rate_limited, a timeout, …: this connection is of no use; the reconnect waits longer each time.
                connection.close(1000, "login failed");
            }
        });
    }

    // Guarded by lock.
    private void setState(ConnectionState next) {
        if (state == next) {
            return;
        }
        state = next;
        TIMER.execute(() -> stateListeners.forEach(listener -> listener.accept(next)));
    }

    /** {@code connection} closed or never opened: resend or fail its calls, then reconnect or close. */
    private void lost(Connection connection, CloseInfo how, Throwable cause) {
        List<Call> toFail = new ArrayList<>();
        boolean final_;
        synchronized (lock) {
            if (connection.lost()) {
                return;
            }
            connection.markLost();
            if (cause != null) {
                lastFailure = cause;
            } else {
                lastFailure = new ConnectionLostException("connection closed: " + how.code() + " " + how.reason());
            }
            boolean wasCurrent = connection == current;
            if (wasCurrent) {
                ready = false;
            }
            List<Call> unanswered = new ArrayList<>(connection.pending().values());
            connection.pending().clear();
            unanswered.sort(Comparator.comparingInt(Call::sequence));
            final_ = backoff == null || closing;
            if (final_) {
                toFail.addAll(unanswered);
                if (wasCurrent) {
                    toFail.addAll(waiting);
                    waiting.clear();
                }
            } else {
                for (int i = unanswered.size() - 1; i >= 0; i--) {
                    Call call = unanswered.get(i);
                    if (call.onLoss() == Call.OnLoss.RESEND) {
                        waiting.addFirst(call);
                    } else {
                        toFail.add(call);
                    }
                }
                // The server delivers these again on the next connection, where they can be acked.
                inbound.removeIf(m -> m instanceof Delivered d && d.connection == connection);
                if (wasCurrent) {
                    failures++;
                    nextEndpoint++;
                    setState(ConnectionState.RECONNECTING);
                    Duration wait = backoff.delay(failures - 1, ThreadLocalRandom.current());
                    nextAttempt = TIMER.schedule(this::attempt, wait.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            if (final_ && wasCurrent) {
                setState(ConnectionState.CLOSED);
            }
        }
        for (Call call : toFail) {
            call.fail(new ConnectionLostException("connection lost before " + call.type()
                    + " was answered (it may have been processed): " + how.code() + " " + how.reason()));
        }
        if (final_) {
            closed.complete(how);
            if (backoff == null) {
                firstConnection.completeExceptionally(
                        cause != null
                                ? cause
                                : new ConnectionLostException("connection closed: " + how.code() + " " + how.reason()));
            }
        }
    }

    private long deadline() {
        return System.nanoTime() + options.requestTimeout().toNanos();
    }

    private void armDeadline(Call call) {
        long millis = options.requestTimeout().toMillis();
        ScheduledFuture<?> timeout = TIMER.schedule(
                () -> call.fail(
                        call.lastError() != null
                                ? call.lastError()
                                : new TimeoutException("no answer to " + call.type() + " within " + millis + " ms")),
                call.deadlineNanos() - System.nanoTime(),
                TimeUnit.NANOSECONDS);
        call.result().whenComplete((r, t) -> {
            timeout.cancel(false);
            synchronized (lock) {
                waiting.remove(call);
                Connection on = call.connection();
                if (on != null) {
                    on.pending().remove(call.sequence(), call);
                }
            }
        });
    }

    private CompletableFuture<List<Messages.Message>> submit(
            String type, Function<Connection, Messages.Message.Builder> message, Call.OnLoss onLoss) {
        Call call = new Call(type, message, onLoss, deadline());
        synchronized (lock) {
            if (closing) {
                throw new ConnectionLostException("the client is closed");
            }
            if (!ready && backoff == null) {
                throw new IllegalStateException("the connection is closed");
            }
            armDeadline(call);
            if (ready) {
                transmit(current, call);
            } else {
                waiting.add(call);
            }
        }
        return call.result();
    }

    // Guarded by lock.
    private void transmit(Connection connection, Call call) {
        if (call.result().isDone()) {
            return;
        }
        if (connection.lost()) {
            // Only reached between a loss and the next connection; the call waits for that one.
            waiting.addFirst(call);
            return;
        }
        int seq = sequence.incrementAndGet();
        Messages.Message frame = call.frame(connection, seq);
        connection.pending().put(seq, call);
        // When the session is already closing, the close reaches lost(), which resends or fails the call.
        connection.send(ByteBuffer.wrap(frame.toByteArray()));
    }

    /** A response to one of {@code connection}'s calls, or an unsolicited message. */
    private void answered(Connection connection, Messages.Message message) {
        Call call = connection.pending().get(message.getSequence());
        if (call == null) {
            unsolicited.add(message);
            return;
        }
        switch (message.getPayloadCase()) {
            case PREKEY -> call.add(message);
            case ACK -> {
                connection.pending().remove(message.getSequence(), call);
                call.succeed(message);
            }
            case ERROR -> {
                connection.pending().remove(message.getSequence(), call);
                SluiceError error = new SluiceError(
                        message.getError().getName(), message.getError().getDescription());
                if (!retryLater(call, error)) {
                    call.fail(error);
                }
            }
            default -> unsolicited.add(message);
        }
    }

    /** Sends a call answered {@code unavailable} again after a backoff wait, if its deadline allows. */
    private boolean retryLater(Call call, SluiceError error) {
        if (backoff == null
                || !error.name().equals(SluiceError.UNAVAILABLE)
                || call.type().equals("authResponse")) {
            return false;
        }
        Duration wait;
        synchronized (lock) {
            wait = backoff.delay(call.unavailableAnswers(), ThreadLocalRandom.current());
        }
        if (System.nanoTime() + wait.toNanos() >= call.deadlineNanos()) {
            return false;
        }
        call.lastError(error);
        TIMER.schedule(
                () -> {
                    synchronized (lock) {
                        if (closing) {
                            call.fail(error);
                        } else if (ready) {
                            transmit(current, call);
                        } else {
                            waiting.add(call);
                        }
                    }
                },
                wait.toNanos(),
                TimeUnit.NANOSECONDS);
        return true;
    }

    /** The nonce of the current connection's AuthChallenge. */
    public byte[] nonce() {
        Connection connection;
        synchronized (lock) {
            connection = current;
        }
        return connection.challenge().join().clone();
    }

    /**
     * Logs in as {@code identity}'s device {@code deviceId}, signing the challenge. A reconnecting client
     * remembers the identity and logs in on every later connection before sending anything else; the future
     * completes on the first successful login, or fails at the request timeout while the client keeps trying. A
     * login that the server refuses is forgotten (the connection goes on anonymous, or is closed after
     * {@code unauthorized}).
     */
    public CompletableFuture<Void> login(Identity identity, int deviceId) {
        Login next = new Login(identity, deviceId);
        Connection connection;
        synchronized (lock) {
            if (closing) {
                throw new ConnectionLostException("the client is closed");
            }
            if (!ready && backoff == null) {
                throw new IllegalStateException("the connection is closed");
            }
            if (backoff != null) {
                login = next;
            }
            connection = ready ? current : null;
        }
        // The caller's deadline: a reconnecting client goes on logging in as this identity after it.
        long millis = options.requestTimeout().toMillis();
        ScheduledFuture<?> timeout = TIMER.schedule(
                () -> next.done()
                        .completeExceptionally(
                                new TimeoutException("no answer to authResponse within " + millis + " ms")),
                millis,
                TimeUnit.MILLISECONDS);
        next.done().whenComplete((r, t) -> timeout.cancel(false));
        if (connection != null) {
            logIn(connection, next, false);
        }
        return next.done();
    }

    /** Sends an AuthResponse with exactly these bytes, for tests of bad logins. */
    public CompletableFuture<Void> authenticate(byte[] login, byte[] signature) {
        return submit("authResponse", on -> authResponse(login, signature), Call.OnLoss.FAIL)
                .thenApply(r -> null);
    }

    private static Messages.Message.Builder authResponse(byte[] login, byte[] signature) {
        return Messages.Message.newBuilder()
                .setAuthResponse(Messages.AuthResponse.newBuilder()
                        .setLogin(ByteString.copyFrom(login))
                        .setSignature(ByteString.copyFrom(signature)));
    }

    /**
     * Registers a signed prekey and one-time prekeys for this connection's Address. Not sent again on a new
     * connection when the old one is lost before the answer: see the class comment.
     */
    public CompletableFuture<Void> register(int registrationId, byte[] signedPreKey, List<byte[]> oneTimePreKeys) {
        Messages.Register.Builder register = Messages.Register.newBuilder()
                .setRegistrationID(registrationId)
                .setSignedPreKey(ByteString.copyFrom(signedPreKey));
        oneTimePreKeys.forEach(k -> register.addOneTimePreKeys(ByteString.copyFrom(k)));
        Messages.Register built = register.build();
        return submit("register", on -> Messages.Message.newBuilder().setRegister(built), Call.OnLoss.FAIL)
                .thenApply(r -> null);
    }

    /** Removes this connection's Address's registration. */
    public CompletableFuture<Void> unregister() {
        return submit(
                        "unregister",
                        on -> Messages.Message.newBuilder().setUnregister(Messages.Unregister.getDefaultInstance()),
                        Call.OnLoss.RESEND)
                .thenApply(r -> null);
    }

    /** Claims the prekeys of every device of {@code userId} not in {@code knownDeviceIds}. */
    public CompletableFuture<List<Messages.PreKey>> requestPreKeys(byte[] userId, Collection<Integer> knownDeviceIds) {
        Messages.RequestPreKeys request = Messages.RequestPreKeys.newBuilder()
                .setUserID(ByteString.copyFrom(userId))
                .addAllKnownDeviceIDs(knownDeviceIds)
                .build();
        return submit(
                        "requestPreKeys",
                        on -> Messages.Message.newBuilder().setRequestPreKeys(request),
                        Call.OnLoss.RESEND)
                .thenApply(responses -> responses.stream()
                        .filter(Messages.Message::hasPreKey)
                        .map(Messages.Message::getPreKey)
                        .toList());
    }

    /** Sends a sealed message to a device; completes once the server acked it (it is durably queued). */
    public CompletableFuture<Void> send(byte[] userId, int deviceId, byte[] sealed) {
        Messages.OutboundMessage message = Messages.OutboundMessage.newBuilder()
                .setTo(address(userId, deviceId))
                .setUnidentifiedSenderMessage(ByteString.copyFrom(sealed))
                .build();
        return submit(
                        "outboundMessage",
                        on -> Messages.Message.newBuilder().setOutboundMessage(message),
                        Call.OnLoss.RESEND)
                .thenApply(r -> null);
    }

    /**
     * Sends a request, assigning its sequence, and completes with every response carrying that sequence up to
     * and including the closing {@code ack}; fails with {@link SluiceError} on an error reply. Not sent again
     * when its connection is lost.
     */
    public CompletableFuture<List<Messages.Message>> request(Messages.Message.Builder message) {
        Messages.Message built = message.build();
        var field = Messages.Message.getDescriptor()
                .findFieldByNumber(built.getPayloadCase().getNumber());
        String type = field == null ? "request" : field.getName();
        return submit(type, on -> built.toBuilder(), Call.OnLoss.FAIL);
    }

    /** Sends bytes as one binary frame, as they are, on the current connection. */
    public void sendRaw(ByteBuffer frame) {
        if (!currentConnection().send(frame)) {
            throw new IllegalStateException("the connection is closed");
        }
    }

    /** Sends a text frame, which the protocol does not use: for tests. */
    public void sendText(String text) {
        if (!currentConnection().sendText(text)) {
            throw new IllegalStateException("the connection is closed");
        }
    }

    private Connection currentConnection() {
        synchronized (lock) {
            return current;
        }
    }

    /** Handles inbound messages with {@code handler} instead of queueing them for {@link #nextInbound}. */
    public void onInbound(Consumer<Inbound> handler) {
        this.inboundHandler = handler;
        for (Inbound waitingMessage; (waitingMessage = inbound.poll()) != null; ) {
            handler.accept(waitingMessage);
        }
    }

    /**
     * Calls {@code listener} with each change of {@link #state()}, in order, on a timer thread shared by all
     * clients: it must not block.
     */
    public void onStateChange(Consumer<ConnectionState> listener) {
        stateListeners.add(listener);
    }

    /** Where the client stands: connecting, open, reconnecting or closed. */
    public ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** The endpoint of the current (or last) connection. */
    public URI endpoint() {
        return currentConnection().uri();
    }

    /** The next inbound message, or null if none arrives within the timeout. */
    public Inbound nextInbound(Duration timeout) throws InterruptedException {
        return inbound.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The keysRequested of the next PreKeysLow, or null if none arrives within the timeout. */
    public Integer nextPreKeysLow(Duration timeout) throws InterruptedException {
        return preKeysLow.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next message that answers no pending request (an error with sequence 0), or null. */
    public Messages.Message nextUnsolicited(Duration timeout) throws InterruptedException {
        return unsolicited.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Completes when the client is closed for good, with the close code and reason: when its connection closes,
     * or, for a reconnecting client, on {@link #close()}.
     */
    public CompletableFuture<CloseInfo> closed() {
        return closed;
    }

    /** How many pings the server sent; each was answered with a pong. */
    public long pingsReceived() {
        return pings.get();
    }

    /** Whether the client has an open connection. */
    public boolean isOpen() {
        Connection connection = currentConnection();
        return connection != null && connection.isOpen();
    }

    /** Closes the connection (1000) and stops reconnecting; requests still waiting fail. */
    @Override
    public void close() {
        Connection connection;
        List<Call> toFail;
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            if (nextAttempt != null) {
                nextAttempt.cancel(false);
            }
            toFail = new ArrayList<>(waiting);
            waiting.clear();
            connection = current;
            setState(ConnectionState.CLOSED);
        }
        toFail.forEach(call -> call.fail(new ConnectionLostException("the client is closed")));
        if (connection != null && connection.isOpen()) {
            connection.close(1000, "bye");
        } else {
            if (connection != null) {
                connection.abort();
            }
            closed.complete(new CloseInfo(1000, "bye"));
        }
    }

    private static Messages.Address.Builder address(byte[] userId, int deviceId) {
        return Messages.Address.newBuilder()
                .setUserID(ByteString.copyFrom(userId))
                .setDeviceID(deviceId);
    }

    private static Throwable unwrap(Throwable thrown) {
        return thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
    }

    private static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** What the connections report, handled by this client. */
    private final class Events implements Connection.Events {
        @Override
        public void onMessage(Connection connection, Messages.Message message) {
            switch (message.getPayloadCase()) {
                case INBOUNDMESSAGE ->
                    inboundHandler.accept(new Delivered(
                            connection,
                            message.getSequence(),
                            message.getInboundMessage().toByteArray()));
                case PREKEYSLOW -> preKeysLow.add(message.getPreKeysLow().getKeysRequested());
                case ACK, ERROR, PREKEY -> answered(connection, message);
                default -> unsolicited.add(message);
            }
        }

        @Override
        public void onPing() {
            pings.incrementAndGet();
        }

        @Override
        public void onLost(Connection connection, CloseInfo how) {
            lost(connection, how, null);
        }
    }

    /** An inbound message, acked on the connection that delivered it or not at all. */
    private static final class Delivered implements Inbound {
        private final Connection connection;
        private final int seq;
        private final byte[] body;
        // Guarded by this.
        private boolean acked;
        private boolean sent;

        Delivered(Connection connection, int seq, byte[] body) {
            this.connection = connection;
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
        public synchronized boolean ack() {
            if (!acked) {
                acked = true;
                sent = connection.send(ByteBuffer.wrap(Messages.Message.newBuilder()
                        .setSequence(seq)
                        .setAck(Messages.Ack.getDefaultInstance())
                        .build()
                        .toByteArray()));
            }
            return sent;
        }
    }
}
