package io.sluice.gateway.limits;

import io.github.bucket4j.Bucket;
import io.sluice.spi.Enqueued;
import io.sluice.spi.ErrorName;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.RateLimiters;
import io.sluice.spi.RateLimiters.KeyedRateLimiter;
import io.sluice.spi.SluiceException;
import io.sluice.spi.UserId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Every limit the gateway enforces, with the state they share (per client IP, per requested user). Each method
 * answers whether something may go ahead; each refusal is reported to the {@link Listener} (the metrics) once.
 * The protocol turns a refusal into {@code Error{rate_limited}} with {@link #rejection}; the WebSocket front
 * closes a connection over its IP's limit with 1013.
 *
 * <p>The limits that must hold across a cluster (prekey requests per requested user, failed logins) keep their
 * buckets in a {@link RateLimiters} store, and so answer asynchronously; the others are local to this process.
 *
 * <pre>{@code
 * Limits limits = Limits.of(LimitsSettings.from(settings, lowThreshold), new LocalRateLimiters(), rejected::increment);
 * Limits.Requests perConnection = limits.newConnection();
 * if (!perConnection.tryRequest()) { ... answer rate_limited ... }
 * limits.checkLogin(clientIp, claimedUser, () -> verify(login)).thenAccept(good -> ...);
 * }</pre>
 */
public final class Limits {
    /** Told about each refusal, for metrics. */
    @FunctionalInterface
    public interface Listener {
        /** A request, connection or message was refused by this limit. */
        void rejected(Limit limit);
    }

    private static final CompletableFuture<Void> GRANTED = CompletableFuture.completedFuture(null);

    private final LimitsSettings config;
    private final LongSupplier clock;
    private final Listener listener;
    private final ConcurrencyLimiter<String> connections;
    private final KeyedRateLimiter preKeyRequests;
    private final KeyedRateLimiter failedLogins;
    private final KeyedRateLimiter failedLoginsPerUser;

    private Limits(LimitsSettings config, RateLimiters store, LongSupplier clock, Listener listener) {
        this.config = config;
        this.clock = clock;
        this.listener = listener;
        this.connections = new ConcurrencyLimiter<>(config.connectionsPerIp());
        this.preKeyRequests = keyed(store, Limit.PREKEY_REQUESTS, config.preKeyRequests());
        this.failedLogins = keyed(store, Limit.FAILED_LOGINS, config.failedLogins());
        this.failedLoginsPerUser = keyed(store, Limit.FAILED_LOGINS_PER_USER, config.failedLoginsPerUser());
    }

    private static KeyedRateLimiter keyed(RateLimiters store, Limit limit, io.sluice.spi.Rate rate) {
        return rate.isOff() ? null : store.limiter(limit.tag(), rate);
    }

    /** The limits of this configuration, their shared buckets in {@code store}, on the system clock. */
    public static Limits of(LimitsSettings config, RateLimiters store, Listener listener) {
        return of(config, store, System::nanoTime, listener);
    }

    /** As {@link #of(LimitsSettings, RateLimiters, Listener)}, the per-connection buckets on a clock of nanoseconds. */
    public static Limits of(LimitsSettings config, RateLimiters store, LongSupplier nanoClock, Listener listener) {
        return new Limits(config, store, nanoClock, listener);
    }

    /** No limits at all. */
    public static Limits none() {
        return of(LimitsSettings.NONE, new LocalRateLimiters(), limit -> {});
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

    /** The request budget of a new connection: a bucket of its own, in this process. */
    public Requests newConnection() {
        if (config.requests().isOff()) {
            return () -> true;
        }
        Bucket bucket = Buckets.of(config.requests(), clock);
        return () -> allowed(bucket.tryConsume(1), Limit.REQUESTS);
    }

    /**
     * A {@code requestPreKeys} for this user, from any connection (of any gateway, with a shared store).
     *
     * @return completes with whether it may go ahead; fails with {@code unavailable} when the store cannot answer
     */
    public CompletionStage<Boolean> tryPreKeyRequest(UserId target) {
        if (preKeyRequests == null) {
            return CompletableFuture.completedFuture(true);
        }
        return preKeyRequests.tryAcquire(target.toString()).thenApply(ok -> allowed(ok, Limit.PREKEY_REQUESTS));
    }

    /**
     * Runs a login's {@code check} (nonce and signature) within the failed-login limits, per client IP and per
     * claimed UserID from that IP. A token of each bucket is taken <em>before</em> the check, atomically in the
     * store, and given back when the login turns out good: so concurrent logins can never have more failures
     * checked than the limits allow, and good logins cost nothing. When a bucket is empty the login is not checked
     * at all.
     *
     * @param claimed the UserID the login names, or null when it names none (it then fails, counted per IP only)
     * @return completes with the check's answer; fails with {@code rate_limited} ({@link #rejection}) when a limit
     *     refused the login unchecked, or with {@code unavailable} when the store cannot answer
     */
    public CompletionStage<Boolean> checkLogin(String clientIp, UserId claimed, BooleanSupplier check) {
        String userKey = claimed == null ? null : clientIp + " " + claimed;
        KeyedRateLimiter perUser = userKey == null ? null : failedLoginsPerUser;
        return take(perUser, userKey, Limit.FAILED_LOGINS_PER_USER)
                .thenCompose(v -> take(failedLogins, clientIp, Limit.FAILED_LOGINS)
                        .whenComplete((ok, failure) -> {
                            if (failure != null) {
                                giveBack(perUser, userKey);
                            }
                        }))
                .thenApply(v -> {
                    boolean good = check.getAsBoolean();
                    if (good) {
                        giveBack(perUser, userKey);
                        giveBack(failedLogins, clientIp);
                    }
                    return good;
                });
    }

    private CompletionStage<Void> take(KeyedRateLimiter limiter, String key, Limit limit) {
        if (limiter == null) {
            return GRANTED;
        }
        return limiter.tryAcquire(key).thenApply(ok -> {
            if (!allowed(ok, limit)) {
                throw rejection(limit);
            }
            return null;
        });
    }

    private static void giveBack(KeyedRateLimiter limiter, String key) {
        if (limiter != null) {
            // Best effort: a store that cannot take the token back leaves the bucket one token short until it refills.
            limiter.release(key).exceptionally(failure -> null);
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
            case FAILED_LOGINS_PER_USER ->
                "too many failed logins as this user from this address (at most " + config.failedLoginsPerUser() + ")";
            case QUEUE_MESSAGES -> "the recipient's queue is full (at most " + config.queueMessages() + " messages)";
            case QUEUE_BYTES -> "the recipient's queue is full (at most " + config.queueBytes() + " bytes)";
        };
        return new SluiceException(ErrorName.RATE_LIMITED, what + "; retry later");
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
