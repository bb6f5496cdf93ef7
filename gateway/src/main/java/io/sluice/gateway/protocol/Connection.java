package io.sluice.gateway.protocol;

import io.sluice.gateway.limits.Limit;
import io.sluice.gateway.limits.Limits;
import io.sluice.spi.Address;
import io.sluice.spi.ErrorName;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.SluiceException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol state machine of one client connection: anonymous after the challenge, authenticated for life
 * after a good login, closed after a bad one. It decodes each frame, checks that the request is allowed in the
 * current state, hands it to the {@link Backend}, and answers with the request's sequence. Every failure is
 * turned into its {@code Error} here, in {@link #fail}.
 */
public final class Connection {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger IDS = new AtomicInteger();

    private enum State {
        ANONYMOUS,
        LOGGING_IN,
        AUTHENTICATED,
        CLOSED
    }

    private final String id;
    private final Transport transport;
    private final ConnectionServices services;
    private final String clientIp;
    private final Limits.Requests requestLimit;
    private final ConnectionObserver observer;
    private final AtomicBoolean opened = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger serverSequence = new AtomicInteger();
    private final byte[] nonce = new byte[32];
    private final SerialExecutor serial;
    private volatile State state = State.ANONYMOUS;
    private volatile Address address;
    private volatile Delivery delivery;
    private volatile ScheduledFuture<?> preKeyCheck;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean draining;

    public Connection(Transport transport, ConnectionServices services) {
        this(transport, services, "unknown");
    }

    /** A connection from this client IP, which the login limit counts failures against. */
    public Connection(Transport transport, ConnectionServices services, String clientIp) {
        this.id = Integer.toHexString(IDS.incrementAndGet());
        this.observer = services.observer();
        this.transport = observer == ConnectionObserver.NONE ? transport : new ObservedTransport(transport, observer);
        this.services = services;
        this.clientIp = clientIp;
        this.requestLimit = services.limits().newConnection();
        this.serial = new SerialExecutor(services.executor());
        RANDOM.nextBytes(nonce);
    }

    /** A short id for logs. */
    public String id() {
        return id;
    }

    /** The authenticated Address, or null while anonymous. */
    public Address address() {
        return address;
    }

    /** Sends the challenge; call once, when the socket opens. */
    public void open() {
        if (opened.compareAndSet(false, true)) {
            observer.opened();
        }
        transport.send(FrameCodec.challenge(nextSequence(), nonce));
    }

    /** A text frame: not part of the protocol, answered and otherwise ignored. */
    public void onText() {
        transport.send(FrameCodec.error(
                0,
                ErrorName.INVALID_MESSAGE,
                "text frames are not part of the protocol: send each signal.Message as a binary frame"));
    }

    /**
     * One binary frame. The frame is decoded before this returns, so its buffer may be reused then; the
     * request itself runs after the connection's earlier requests have started, off the caller's thread.
     *
     * @return completes when the request has been answered: by its route, or with {@code unavailable} once
     *         the request timeout has passed since it arrived, whichever is first
     */
    public CompletionStage<Void> onBinary(ByteBuffer frame) {
        long started = System.nanoTime();
        FrameType type = FrameCodec.typeOf(frame);
        observer.frameIn(type);
        Request request;
        try {
            request = FrameCodec.decode(frame);
        } catch (ProtocolException e) {
            return refuse(
                    type,
                    started,
                    requestLimit.tryRequest()
                            ? e
                            : ProtocolException.of(services.limits().rejection(Limit.REQUESTS), 0));
        }
        // Acks of inbound messages are free: limiting them would only slow delivery down.
        if (!(request instanceof Request.Ack) && !requestLimit.tryRequest()) {
            return refuse(
                    type,
                    started,
                    ProtocolException.of(services.limits().rejection(Limit.REQUESTS), request.sequence()));
        }
        // Counted before draining is checked, so that drain() either waits for this request or it is refused.
        inFlight.incrementAndGet();
        if (draining && !(request instanceof Request.Ack)) {
            finished();
            // Expected by the hundred during a shutdown: answered, not logged.
            ProtocolException refusal = ProtocolException.of(
                    ErrorName.UNAVAILABLE,
                    request.sequence(),
                    "the server is shutting down: retry on a new connection");
            transport.send(FrameCodec.error(refusal.sequence(), refusal.errorName(), refusal.description()));
            observer.answered(type, refusal.errorName(), System.nanoTime() - started);
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> answered = new CompletableFuture<>();
        AtomicBoolean once = new AtomicBoolean();
        Consumer<Throwable> answerFailure = failure -> {
            if (once.compareAndSet(false, true)) {
                ProtocolException error = ProtocolException.of(Failures.toSluice(failure), request.sequence());
                fail(error);
                observer.answered(type, error.errorName(), System.nanoTime() - started);
                finished();
                answered.complete(null);
            }
        };
        // The timeout counts from arrival, so a request queued behind a slow one is answered on time too.
        CompletableFuture<Void> timer = new CompletableFuture<Void>()
                .orTimeout(services.settings().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        timer.whenComplete((ok, failure) -> {
            if (failure != null) {
                answerFailure.accept(failure);
            }
        });
        serial.execute(() -> {
            if (once.get()) {
                return; // timed out while queued behind a slow request
            }
            CompletionStage<Runnable> handled;
            try {
                handled = handle(request);
            } catch (RuntimeException e) {
                handled = CompletableFuture.failedFuture(e);
            }
            handled.whenComplete((reply, failure) -> {
                if (failure != null) {
                    answerFailure.accept(failure);
                } else if (once.compareAndSet(false, true)) {
                    reply.run();
                    observer.answered(type, null, System.nanoTime() - started);
                    finished();
                    answered.complete(null);
                } else {
                    // Already answered unavailable: one answer per request, even if the route got there.
                    LOG.warn("event=request.late conn={} seq={}", id, Integer.toUnsignedString(request.sequence()));
                }
                timer.complete(null);
            });
        });
        return answered;
    }

    private void finished() {
        if (inFlight.decrementAndGet() == 0 && draining) {
            drained.complete(null);
        }
    }

    /**
     * Stops taking requests for a graceful shutdown: from now on each new one is answered {@code unavailable}
     * (nothing was stored, the client retries elsewhere), queued messages stop being pushed, and acks of those
     * already sent are still taken.
     *
     * @return completes once every request in progress has been answered
     */
    public CompletionStage<Void> drain() {
        draining = true;
        stopAuthenticated();
        if (inFlight.get() == 0) {
            drained.complete(null);
        }
        return drained;
    }

    private CompletionStage<Void> refuse(FrameType type, long started, ProtocolException error) {
        fail(error);
        observer.answered(type, error.errorName(), System.nanoTime() - started);
        return CompletableFuture.completedFuture(null);
    }

    /** Runs a request; completes with what to send when it succeeded, or fails with what went wrong. */
    private CompletionStage<Runnable> handle(Request request) {
        return switch (request) {
            case Request.Login login -> login(login);
            case Request.Register register ->
                services.backend()
                        .register(caller(register), authenticated(register), register.registration())
                        .thenApply(v -> () -> ack(register.sequence()));
            case Request.Unregister unregister ->
                services.backend()
                        .unregister(caller(unregister), authenticated(unregister))
                        .thenApply(v -> () -> ack(unregister.sequence()));
            case Request.RequestPreKeys prekeys -> {
                anonymous(prekeys);
                yield services.limits()
                        .tryPreKeyRequest(prekeys.request().userId())
                        .thenCompose(allowed -> {
                            if (!allowed) {
                                throw ProtocolException.of(
                                        services.limits().rejection(Limit.PREKEY_REQUESTS), prekeys.sequence());
                            }
                            return services.backend().requestPreKeys(caller(prekeys), prekeys.request());
                        })
                        .thenApply(bundles -> () -> sendPreKeys(prekeys, bundles));
            }
            case Request.Outbound outbound -> {
                anonymous(outbound);
                yield services.backend()
                        .outbound(caller(outbound), outbound.to(), outbound.sealed())
                        .thenApply(v -> () -> ack(outbound.sequence()));
            }
            case Request.Ack ack -> {
                authenticated(ack);
                Delivery current = delivery;
                if (current == null || !current.acknowledge(ack.sequence())) {
                    LOG.debug("event=ack.unmatched conn={} seq={}", id, Integer.toUnsignedString(ack.sequence()));
                }
                yield CompletableFuture.completedFuture(() -> {});
            }
        };
    }

    private CompletionStage<Runnable> login(Request.Login login) {
        synchronized (this) {
            if (state != State.ANONYMOUS) {
                throw ProtocolException.of(
                        ErrorName.ATTEMPTED_ANONYMOUS_OP_ON_AUTHENTICATED_CONNECTION,
                        login.sequence(),
                        "this connection has already logged in");
            }
            state = State.LOGGING_IN;
        }
        Request.LoginClaim claim = login.login().orElse(null);
        return services.limits()
                .checkLogin(
                        clientIp,
                        claim == null ? null : claim.address().userId(),
                        () -> claim != null
                                && MessageDigest.isEqual(claim.nonce(), nonce)
                                && Ed25519.verify(
                                        claim.address().userId().publicKey(), login.loginBytes(), login.signature()))
                .handle((good, failure) -> {
                    if (failure != null) {
                        // Refused unchecked (rate_limited) or the limits' store is down: the connection stays
                        // anonymous and may try again later.
                        state = State.ANONYMOUS;
                        throw ProtocolException.of(Failures.toSluice(failure), login.sequence());
                    }
                    if (!good) {
                        state = State.ANONYMOUS;
                        throw ProtocolException.closing(
                                ErrorName.UNAUTHORIZED,
                                login.sequence(),
                                claim == null
                                        ? "the login does not parse or names no valid Address"
                                        : "the signature or the nonce does not match",
                                CloseStatus.POLICY_VIOLATION);
                    }
                    return loggedIn(login, claim);
                });
    }

    private Runnable loggedIn(Request.Login login, Request.LoginClaim claim) {
        address = claim.address();
        state = State.AUTHENTICATED;
        observer.authenticated();
        LOG.info("event=login conn={} address={}", id, address);
        return () -> {
            ack(login.sequence());
            startAuthenticated();
        };
    }

    private void startAuthenticated() {
        ProtocolSettings settings = services.settings();
        Delivery started = new Delivery(
                address,
                services.queue(),
                transport,
                this::nextSequence,
                services.executor(),
                services.scheduler(),
                settings.deliveryWindow(),
                id,
                observer);
        delivery = started;
        started.start();
        long interval = settings.checkInterval().toMillis();
        preKeyCheck = services.scheduler().scheduleAtFixedRate(this::checkPreKeys, 0, interval, TimeUnit.MILLISECONDS);
        if (state == State.CLOSED) {
            stopAuthenticated();
        }
    }

    private void checkPreKeys() {
        Address self = address;
        if (state != State.AUTHENTICATED) {
            return;
        }
        services.backend().preKeyCount(new Backend.Caller(id, 0), self).whenComplete((count, failure) -> {
            if (failure != null) {
                LOG.warn(
                        "event=prekeys.check.failed conn={} error={}", id, Failures.describe(Failures.unwrap(failure)));
            } else if (count < services.settings().lowThreshold() && state == State.AUTHENTICATED) {
                transport.send(FrameCodec.preKeysLow(
                        nextSequence(), services.settings().keysRequested()));
            }
        });
    }

    /** The socket closed, for whatever reason: stop delivering and checking. */
    public void onClose() {
        state = State.CLOSED;
        stopAuthenticated();
        if (opened.get() && closed.compareAndSet(false, true)) {
            observer.closed(address != null);
        }
    }

    private void stopAuthenticated() {
        ScheduledFuture<?> check = preKeyCheck;
        if (check != null) {
            check.cancel(false);
        }
        Delivery current = delivery;
        if (current != null) {
            current.stop();
        }
    }

    private void sendPreKeys(Request.RequestPreKeys request, List<PreKeyBundle> bundles) {
        for (PreKeyBundle bundle : bundles) {
            transport.send(
                    FrameCodec.preKey(request.sequence(), request.request().userId(), bundle));
        }
        ack(request.sequence());
    }

    private Address authenticated(Request request) {
        Address self = address;
        if (state != State.AUTHENTICATED || self == null) {
            throw ProtocolException.of(
                    ErrorName.UNAUTHORIZED, request.sequence(), "this request needs an authenticated connection");
        }
        return self;
    }

    private void anonymous(Request request) {
        if (state != State.ANONYMOUS) {
            throw ProtocolException.of(
                    ErrorName.ATTEMPTED_ANONYMOUS_OP_ON_AUTHENTICATED_CONNECTION,
                    request.sequence(),
                    "this request is only allowed on an anonymous connection");
        }
    }

    private Backend.Caller caller(Request request) {
        return new Backend.Caller(id, request.sequence());
    }

    private void ack(int sequence) {
        transport.send(FrameCodec.ack(sequence));
    }

    private void fail(SluiceException failure) {
        ProtocolException error = failure instanceof ProtocolException p ? p : ProtocolException.of(failure, 0);
        if (error.errorName() == ErrorName.UNAVAILABLE || error.errorName() == ErrorName.UNKNOWN_ERROR) {
            LOG.warn(
                    "event=request.failed conn={} seq={} error={} description=\"{}\"",
                    id,
                    Integer.toUnsignedString(error.sequence()),
                    error.errorName(),
                    error.description());
        }
        transport.send(FrameCodec.error(error.sequence(), error.errorName(), error.description()));
        error.closeStatus().ifPresent(status -> {
            state = State.CLOSED;
            transport.close(status, error.errorName().wireName());
        });
    }

    private int nextSequence() {
        return serverSequence.incrementAndGet();
    }

    /** Counts each frame sent by its type. */
    private record ObservedTransport(Transport inner, ConnectionObserver observer) implements Transport {
        @Override
        public void send(ByteBuffer frame) {
            observer.frameOut(FrameCodec.typeOf(frame));
            inner.send(frame);
        }

        @Override
        public void close(CloseStatus status, String reason) {
            inner.close(status, reason);
        }
    }
}
