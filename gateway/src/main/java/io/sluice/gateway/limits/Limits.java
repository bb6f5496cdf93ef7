package io.sluice.gateway.limits;

import io.sluice.spi.Enqueued;
import io.sluice.spi.ErrorName;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.SluiceException;
import io.sluice.spi.UserId;
import java.util.function.LongSupplier;

/**
 * Every limit the gateway enforces, with the state they share (per client IP, per requested user). Each method
 * answers whether something may go ahead; each refusal is reported to the {@link Listener} (the metrics) once.
 * The protocol turns a refusal into {@code Error{rate_limited}} with {@link #rejection}; the WebSocket front
 * closes a connection over its IP's limit with 1013.
 *
 * <pre>{@code
 * Limits limits = Limits.of(LimitsSettings.from(settings), limit -> rejected.increment(limit));
 * Limits.Requests perConnection = limits.newConnection();
 * if (!perConnection.tryRequest()) { ... answer rate_limited ... }
 * }</pre>
 */
public final class Limits {
    /** Told about each refusal, for metrics. */
    @FunctionalInterface
    public interface Listener {
        /** A request, connection or message was refused by this limit. */
        void rejected(Limit limit);
    }

    private final LimitsSettings config;
    private final LongSupplier clock;
    private final Listener listener;
    private final ConcurrencyLimiter<String> connections;
    private final KeyedLimiter<UserId> preKeyRequests;
    private final KeyedLimiter<String> failedLogins;

    private Limits(LimitsSettings config, LongSupplier clock, Listener listener) {
        this.config = config;
        this.clock = clock;
        this.listener = listener;
        this.connections = new ConcurrencyLimiter<>(config.connectionsPerIp());
        this.preKeyRequests = new KeyedLimiter<>(config.preKeyRequests(), clock);
        this.failedLogins = new KeyedLimiter<>(config.failedLogins(), clock);
    }

    /** The limits of this configuration, on the system clock. */
    public static Limits of(LimitsSettings config, Listener listener) {
        return of(config, System::nanoTime, listener);
    }

    /** The limits of this configuration, on a clock of nanoseconds. */
    public static Limits of(LimitsSettings config, LongSupplier nanoClock, Listener listener) {
        return new Limits(config, nanoClock, listener);
    }

    /** No limits at all. */
    public static Limits none() {
        return of(LimitsSettings.NONE, limit -> {});
    }

    /** The configuration. */
    public LimitsSettings config() {
        return config;
    }

    /** A connection from this client IP opens; false when the IP already has its maximum open. */
    public boolean tryOpenConnection(String clientIp) {
        if (config.connectionsPerIp() == 0) {
            return true;
        }
        return allowed(connections.tryAcquire(clientIp), Limit.CONNECTIONS_PER_IP);
    }

    /** A connection admitted by {@link #tryOpenConnection} closed. */
    public void connectionClosed(String clientIp) {
        if (config.connectionsPerIp() != 0) {
            connections.release(clientIp);
        }
    }

    /** The request budget of a new connection. */
    public Requests newConnection() {
        if (config.requests().isOff()) {
            return () -> true;
        }
        TokenBucket bucket = new TokenBucket(config.requests(), clock.getAsLong());
        return () -> allowed(bucket.tryTake(clock.getAsLong()), Limit.REQUESTS);
    }

    /** A {@code requestPreKeys} for this user, from any connection. */
    public boolean tryPreKeyRequest(UserId target) {
        return config.preKeyRequests().isOff() || allowed(preKeyRequests.tryTake(target), Limit.PREKEY_REQUESTS);
    }

    /** Whether a login from this IP may be checked: false once the IP has used up its failed logins. */
    public boolean tryLogin(String clientIp) {
        return config.failedLogins().isOff() || allowed(failedLogins.hasToken(clientIp), Limit.FAILED_LOGINS);
    }

    /** A login from this IP failed. */
    public void loginFailed(String clientIp) {
        if (!config.failedLogins().isOff()) {
            failedLogins.take(clientIp);
        }
    }

    /** The quota every recipient's queue is held to: the queue checks it in the same step that appends. */
    public QueueQuota queueQuota() {
        return new QueueQuota(config.queueMessages(), config.queueBytes());
    }

    /**
     * What a sender is answered when the queue refused its message by the quota, counted once; null when the
     * message was accepted.
     */
    public SluiceException queueRefusal(Enqueued.Outcome outcome) {
        Limit limit = switch (outcome) {
            case REFUSED_MESSAGES_QUOTA -> Limit.QUEUE_MESSAGES;
            case REFUSED_BYTES_QUOTA -> Limit.QUEUE_BYTES;
            case QUEUED, DUPLICATE -> null;
        };
        if (limit == null) {
            return null;
        }
        listener.rejected(limit);
        return rejection(limit);
    }

    /** The {@code rate_limited} failure a refusal by this limit answers. */
    public SluiceException rejection(Limit limit) {
        String what = switch (limit) {
            case CONNECTIONS_PER_IP ->
                "too many connections from this address (at most " + config.connectionsPerIp() + ")";
            case REQUESTS -> "too many requests on this connection (at most " + config.requests() + ")";
            case PREKEY_REQUESTS -> "too many prekey requests for this user (at most " + config.preKeyRequests() + ")";
            case FAILED_LOGINS -> "too many failed logins from this address (at most " + config.failedLogins() + ")";
            case QUEUE_MESSAGES -> "the recipient's queue is full (at most " + config.queueMessages() + " messages)";
            case QUEUE_BYTES -> "the recipient's queue is full (at most " + config.queueBytes() + " bytes)";
        };
        return new SluiceException(ErrorName.RATE_LIMITED, what + "; retry later");
    }

    /** Forgets the buckets of keys that have been quiet for a whole period. Run every so often. */
    public void sweep() {
        preKeyRequests.sweep();
        failedLogins.sweep();
    }

    private boolean allowed(boolean allowed, Limit limit) {
        if (!allowed) {
            listener.rejected(limit);
        }
        return allowed;
    }

    /** The request budget of one connection. */
    @FunctionalInterface
    public interface Requests {
        /** Spends one request; false when the connection is over its rate. */
        boolean tryRequest();
    }
}
