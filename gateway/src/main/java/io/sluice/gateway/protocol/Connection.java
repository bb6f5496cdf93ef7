package io.sluice.gateway.protocol;

import io.sluice.gateway.limits.Limit;
import io.sluice.gateway.limits.Limits;
import io.sluice.spi.Address;
import io.sluice.spi.ErrorName;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.SluiceException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol of one client connection: anonymous after the challenge, authenticated for life after a good login
 * ({@link LoginState}), closed after a bad one. It decodes each frame once, checks that the request is allowed now,
 * and hands it to its {@link RequestPipeline}, which starts it in order, bounds it by its deadline and answers it
 * once. Every failure becomes its {@code Error} here, in {@link #fail}.
 */
public final class Connection {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String id;
    private final Transport transport;
    private final Outbox out;
    private final ConnectionServices services;
    private final String clientIp;
    private final Limits.Requests requestLimit;
    private final ConnectionObserver observer;
    private final RequestPipeline pipeline;
    private final LoginState login = new LoginState();
    private final AtomicBoolean opened = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger serverSequence = new AtomicInteger();
    private final byte[] nonce = new byte[32];
    private volatile Address address;
    private volatile AuthenticatedSession session;
    /** Whether the last prekey check found the device below the threshold and told it so. */
    private volatile boolean toldLow;

    public Connection(Transport transport, ConnectionServices services) {
        this(transport, services, "unknown");
    }

    /** A connection from this client IP, which the login limit counts failures against. */
    public Connection(Transport transport, ConnectionServices services, String clientIp) {
        this.id = Integer.toHexString(IDS.incrementAndGet());
        this.observer = services.observer();
        this.transport = transport;
        this.out = new Outbox(transport, observer);
        this.services = services;
        this.clientIp = clientIp;
        this.requestLimit = services.limits().newConnection();
        this.pipeline = new RequestPipeline(
                services.requests(),
                services.deadlines(),
                services.settings().maxRequestsInFlight(),
                transport::resumeReading,
                new Answers());
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
        out.send(FrameType.AUTH_CHALLENGE, FrameCodec.challenge(nextSequence(), nonce));
    }

    /** A text frame: not part of the protocol, answered and otherwise ignored. */
    public void onText() {
        fail(ProtocolException.of(
                ErrorName.INVALID_MESSAGE,
                0,
                "text frames are not part of the protocol: send each signal.Message as a binary frame"));
    }

    /**
     * One binary frame. The frame is decoded before this returns, so its buffer may be reused then; the request
     * itself starts after the connection's earlier requests have started, off the caller's thread, and is answered
     * by its route or, once the request timeout has passed since it arrived, with {@code unavailable}.
     *
     * @return whether the caller may read the next frame now; when not, {@link Transport#resumeReading()} is called
     *     once it may
     */
    public boolean onBinary(ByteBuffer frame) {
        long arrived = services.deadlines().now();
        FrameCodec.Inbound inbound = FrameCodec.read(frame);
        FrameType type = inbound.type();
        observer.frameIn(type);
        if (inbound.refusal() != null) {
            refuse(
                    type,
                    arrived,
                    requestLimit.tryRequest()
                            ? inbound.refusal()
                            : ProtocolException.of(services.limits().rejection(Limit.REQUESTS), 0));
            return true;
        }
        Request request = inbound.request();
        if (request instanceof Request.Ack ack) {
            // Acks of inbound messages are free and need no order: limiting them would only slow delivery down.
            acknowledge(ack, arrived);
            return true;
        }
        if (!requestLimit.tryRequest()) {
            refuse(
                    type,
                    arrived,
                    ProtocolException.of(services.limits().rejection(Limit.REQUESTS), request.sequence()));
            return true;
        }
        RequestPipeline.Entry entry = pipeline.admit(request.sequence(), type, arrived);
        if (entry == null) {
            // Expected by the hundred during a shutdown: answered, not logged.
            refuse(
                    type,
                    arrived,
                    ProtocolException.of(
                            ErrorName.UNAVAILABLE,
                            request.sequence(),
                            "the server is shutting down: retry on a new connection"));
            return true;
        }
        pipeline.start(entry, () -> handle(request, entry.deadlineNanos), request instanceof Request.Login);
        return pipeline.mayRead();
    }

    /**
     * Stops taking requests for a graceful shutdown: from now on each new one is answered {@code unavailable}
     * (nothing was stored, the client retries elsewhere), queued messages stop being pushed, and acks of those
     * already sent are still taken.
     *
     * @return completes once every request in progress has been answered
     */
    public CompletionStage<Void> drain() {
        AuthenticatedSession current = session;
        if (current != null) {
            current.delivery().stop();
        }
        return pipeline.drain();
    }

    /** The socket closed, for whatever reason: stop delivering and checking. */
    public void onClose() {
        LoginState.State was = login.close();
        if (was == LoginState.State.AUTHENTICATED) {
            session.stop();
        }
        if (opened.get() && closed.compareAndSet(false, true)) {
            observer.closed(was == LoginState.State.AUTHENTICATED);
        }
    }

    private void refuse(FrameType type, long arrived, ProtocolException error) {
        fail(error);
        observer.answered(type, error.errorName(), services.deadlines().now() - arrived);
    }

    private void acknowledge(Request.Ack ack, long arrived) {
        if (login.current() != LoginState.State.AUTHENTICATED) {
            refuse(
                    FrameType.ACK,
                    arrived,
                    ProtocolException.of(
                            ErrorName.UNAUTHORIZED, ack.sequence(), "this request needs an authenticated connection"));
            return;
        }
        if (!session.delivery().acknowledge(ack.sequence())) {
            LOG.atDebug()
                    .addKeyValue("event", "ack.unmatched")
                    .addKeyValue("conn", id)
                    .addKeyValue("seq", Integer.toUnsignedLong(ack.sequence()))
                    .log();
        }
        observer.answered(FrameType.ACK, null, services.deadlines().now() - arrived);
    }

    /** Runs a request; completes with what sends its answer, or fails with what went wrong. */
    private CompletionStage<Runnable> handle(Request request, long deadline) {
        return switch (request) {
            case Request.Login l -> login(l);
            case Request.Register register -> {
                Address self = authenticated(register);
                yield services.backend()
                        .register(caller(register, deadline), self, register.registration())
                        .thenApply(v -> () -> {
                            toldLow = false;
                            ack(register.sequence());
                        });
            }
            case Request.Unregister unregister ->
                services.backend()
                        .unregister(caller(unregister, deadline), authenticated(unregister))
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
                            return services.backend().requestPreKeys(caller(prekeys, deadline), prekeys.request());
                        })
                        .thenApply(bundles -> () -> sendPreKeys(prekeys, bundles));
            }
            case Request.Outbound outbound -> {
                anonymous(outbound);
                yield services.backend()
                        .outbound(caller(outbound, deadline), outbound.to(), outbound.sealed())
                        .thenApply(v -> () -> ack(outbound.sequence()));
            }
            case Request.Ack ack -> throw new IllegalStateException("acks do not go through the pipeline");
        };
    }

    private CompletionStage<Runnable> login(Request.Login request) {
        if (!login.begin()) {
            throw ProtocolException.of(
                    ErrorName.ATTEMPTED_ANONYMOUS_OP_ON_AUTHENTICATED_CONNECTION,
                    request.sequence(),
                    "this connection has already logged in");
        }
        Request.LoginClaim claim = request.login().orElse(null);
        return services.limits()
                .checkLogin(
                        clientIp,
                        claim == null ? null : claim.address().userId(),
                        () -> claim != null
                                && MessageDigest.isEqual(claim.nonce(), nonce)
                                && Ed25519.verify(
                                        claim.address().userId().publicKey(),
                                        request.loginBytes(),
                                        request.signature()))
                .handle((good, failure) -> {
                    if (failure != null) {
                        // Refused unchecked (rate_limited) or the limits' store is down: the connection stays
                        // anonymous and may try again later.
                        login.abort();
                        throw ProtocolException.of(Failures.toSluice(failure), request.sequence());
                    }
                    if (!good) {
                        login.abort();
                        throw ProtocolException.closing(
                                ErrorName.UNAUTHORIZED,
                                request.sequence(),
                                claim == null
                                        ? "the login does not parse or names no valid Address"
                                        : "the signature or the nonce does not match",
                                CloseStatus.POLICY_VIOLATION);
                    }
                    return loggedIn(request, claim.address());
                });
    }

    private Runnable loggedIn(Request.Login request, Address self) {
        // Made before the state changes, so that a close that sees AUTHENTICATED finds it to stop.
        address = self;
        session = new AuthenticatedSession(
                new Delivery(
                        self,
                        services.queue(),
                        out,
                        this::nextSequence,
                        services.deliveries(),
                        services.scheduler(),
                        services.settings().deliveryWindow(),
                        id,
                        observer,
                        () -> checkPreKeys(true)),
                () -> checkPreKeys(false),
                services.scheduler(),
                services.settings().checkInterval());
        if (!login.complete()) {
            // Closed while the login was checked: nothing was started, nothing is left behind.
            return () -> {};
        }
        observer.authenticated();
        LOG.atInfo().addKeyValue("event", "login").addKeyValue("conn", id).log();
        return () -> {
            ack(request.sequence());
            session.start();
        };
    }

    /**
     * Compares the device's one-time prekeys with the low threshold; below it, asks for more. The periodic check
     * asks every time it finds the stock low; a check after a claim ({@code afterClaim}) asks only when the stock
     * has just gone low, so a device being drained is told at once but not once per claim.
     */
    private void checkPreKeys(boolean afterClaim) {
        Address self = address;
        if (login.current() != LoginState.State.AUTHENTICATED) {
            return;
        }
        services.deadlines()
                .bound(services.backend()
                        .preKeyCount(
                                new Backend.Caller(
                                        id,
                                        0,
                                        services.deadlines()
                                                .deadline(services.deadlines().now())),
                                self))
                .whenComplete((count, failure) -> {
                    if (failure != null) {
                        LOG.atWarn()
                                .addKeyValue("event", "prekeys.check.failed")
                                .addKeyValue("conn", id)
                                .addKeyValue("error", Failures.describe(Failures.unwrap(failure)))
                                .log();
                        return;
                    }
                    boolean low = count < services.settings().lowThreshold();
                    boolean tell = low && (!afterClaim || !toldLow);
                    toldLow = low;
                    if (tell && login.current() == LoginState.State.AUTHENTICATED) {
                        out.send(
                                FrameType.PRE_KEYS_LOW,
                                FrameCodec.preKeysLow(
                                        nextSequence(), services.settings().keysRequested()));
                    }
                });
    }

    private void sendPreKeys(Request.RequestPreKeys request, List<PreKeyBundle> bundles) {
        for (PreKeyBundle bundle : bundles) {
            out.queue(
                    FrameType.PRE_KEY,
                    FrameCodec.preKey(request.sequence(), request.request().userId(), bundle));
            if (bundle.oneTimePreKeyIfAny().isPresent()) {
                // The device's live connections, on whatever gateway, check whether their stock is now low.
                services.queue()
                        .signal(
                                new Address(request.request().userId(), bundle.deviceId()),
                                MessageQueue.Signal.PREKEYS_CLAIMED);
            }
        }
        ack(request.sequence());
    }

    private Address authenticated(Request request) {
        Address self = address;
        if (login.current() != LoginState.State.AUTHENTICATED || self == null) {
            throw ProtocolException.of(
                    ErrorName.UNAUTHORIZED, request.sequence(), "this request needs an authenticated connection");
        }
        return self;
    }

    private void anonymous(Request request) {
        if (login.current() != LoginState.State.ANONYMOUS) {
            throw ProtocolException.of(
                    ErrorName.ATTEMPTED_ANONYMOUS_OP_ON_AUTHENTICATED_CONNECTION,
                    request.sequence(),
                    "this request is only allowed on an anonymous connection");
        }
    }

    private Backend.Caller caller(Request request, long deadline) {
        return new Backend.Caller(id, request.sequence(), deadline);
    }

    private void ack(int sequence) {
        out.send(FrameType.ACK, FrameCodec.ack(sequence));
    }

    private void fail(SluiceException failure) {
        ProtocolException error = failure instanceof ProtocolException p ? p : ProtocolException.of(failure, 0);
        if (error.errorName() == ErrorName.UNAVAILABLE || error.errorName() == ErrorName.UNKNOWN_ERROR) {
            LOG.atWarn()
                    .addKeyValue("event", "request.failed")
                    .addKeyValue("conn", id)
                    .addKeyValue("seq", Integer.toUnsignedLong(error.sequence()))
                    .addKeyValue("error", error.errorName().wireName())
                    .addKeyValue("description", error.description())
                    .log();
        }
        out.send(FrameType.ERROR, FrameCodec.error(error.sequence(), error.errorName(), error.description()));
        error.closeStatus().ifPresent(status -> {
            login.close();
            out.close(status, error.errorName().wireName());
        });
    }

    private int nextSequence() {
        return serverSequence.incrementAndGet();
    }

    /** The pipeline's answers: sent here, each request's outcome counted once. */
    private final class Answers implements RequestPipeline.Responder {
        @Override
        public void succeeded(RequestPipeline.Entry entry, Runnable reply) {
            reply.run();
            observer.answered(entry.type, null, services.deadlines().now() - entry.arrivedNanos);
        }

        @Override
        public void failed(RequestPipeline.Entry entry, Throwable failure) {
            ProtocolException error = ProtocolException.of(Failures.toSluice(failure), entry.sequence);
            fail(error);
            observer.answered(
                    entry.type, error.errorName(), services.deadlines().now() - entry.arrivedNanos);
        }

        @Override
        public void late(RequestPipeline.Entry entry) {
            // Already answered unavailable: one answer per request, even if the route got there.
            LOG.atWarn()
                    .addKeyValue("event", "request.late")
                    .addKeyValue("conn", id)
                    .addKeyValue("seq", Integer.toUnsignedLong(entry.sequence))
                    .log();
        }
    }
}
