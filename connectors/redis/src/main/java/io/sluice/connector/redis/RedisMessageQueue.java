package io.sluice.connector.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.sluice.spi.Address;
import io.sluice.spi.Enqueue;
import io.sluice.spi.Enqueued;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.QueueUsage;
import io.sluice.spi.QueuedMessage;
import io.sluice.spi.SluiceException;
import io.sluice.spi.StreamPosition;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-device message queues on Redis, standalone or a Redis Cluster, shared by every gateway.
 *
 * <p>Each message is queued by one Lua script ({@code enqueue.lua}) that runs atomically on the device's shard: it
 * drops a duplicate (a plain dedup id is remembered for the retention; a {@code <stream>@<position>} id keeps the
 * highest position per stream of the device), checks the quota against the device's counters, gives the next id
 * of the device, appends, counts, renews the expiry of the device's keys to the retention, and publishes a
 * wake-up on the device's channel. The messages of a call are pipelined on one connection in list order, and a
 * call sends them before it returns, so Redis applies them in the order the calls were made. The stage completes
 * once Redis answered (and, with {@code sluice.redis.wait-replicas}, once that many replicas acknowledged); what
 * an answered write survives is the server's persistence: see the module's README.
 *
 * <p>When a call holds several {@code <stream>@<position>} messages of one stream for one device, the refusal of
 * one of them by the quota leaves a mark under a key named after the call ({@link QueueKeys#held}), which refuses
 * the later ones of the stream for the device in the call the same way: queued, they would move the stream's
 * position past the refused one, whose retry would then be dropped as a duplicate.
 *
 * <p>Keys and channels: {@link QueueKeys}. Wake-ups: {@link QueueSubscriptions}. Redis failures answer {@code
 * unavailable}.
 */
public final class RedisMessageQueue implements MessageQueue {
    /** How long a {@code WAIT} for replicas may take before the enqueue answers {@code unavailable}. */
    static final Duration WAIT_TIMEOUT = Duration.ofSeconds(2);

    private static final byte[] NONE = {'n'};
    private static final byte[] PLAIN = {'p'};
    private static final byte[] STREAM = {'s'};
    private static final byte[] EMPTY = {};
    private static final byte[] PUBLISH = "PUBLISH".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SPUBLISH = "SPUBLISH".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGES = {'n'};
    private static final byte[] BYTES = {'b'};
    private static final byte[] HOLD = {'1'};
    /** Makes call ids unique across the gateways sharing the Redis. */
    private static final String PROCESS = Long.toHexString(new SecureRandom().nextLong());

    private final RedisConnection redis;
    private final boolean ownsConnection;
    private final int waitReplicas;
    private final byte[] retentionMillis;
    private final QueueScripts scripts = new QueueScripts();
    private final QueueSubscriptions subscriptions;
    private final AtomicLong calls = new AtomicLong();

    private RedisMessageQueue(RedisConnection redis, boolean ownsConnection, RedisSettings settings) {
        this.redis = redis;
        this.ownsConnection = ownsConnection;
        this.waitReplicas = settings.waitReplicas();
        this.retentionMillis = ascii(Math.max(1, settings.retention().toMillis()));
        this.subscriptions = new QueueSubscriptions(redis);
    }

    /** Connects as the settings say; closing the queue closes the connection. */
    public static RedisMessageQueue open(RedisSettings settings) {
        RedisConnection redis = RedisConnection.open(settings);
        try {
            return new RedisMessageQueue(redis, true, settings);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    @Override
    public CompletionStage<List<Enqueued>> enqueue(List<Enqueue> messages, QueueQuota quota) {
        try {
            List<Enqueue> batch = List.copyOf(messages);
            byte[] quotaMessages = ascii(quota.messages());
            byte[] quotaBytes = ascii(quota.bytes());
            // The connection each message went on: WAIT must follow the writes on the same connection.
            Map<RedisClusterAsyncCommands<byte[], byte[]>, Boolean> used = new IdentityHashMap<>();
            List<CompletableFuture<Enqueued>> results = new ArrayList<>(batch.size());
            List<StreamPosition> positions = new ArrayList<>(batch.size());
            for (Enqueue message : batch) {
                positions.add(StreamPosition.parse(message.dedupId()));
            }
            Set<DeviceStream> shared = sharedStreams(batch, positions);
            String callId = shared.isEmpty() ? null : PROCESS + "-" + Long.toHexString(calls.incrementAndGet());
            for (int i = 0; i < batch.size(); i++) {
                Enqueue message = batch.get(i);
                StreamPosition position = positions.get(i);
                QueueKeys keys = QueueKeys.of(message.recipient());
                byte[] held =
                        position != null && shared.contains(new DeviceStream(message.recipient(), position.stream()))
                                ? keys.held(callId, position.stream())
                                : null;
                RedisClusterAsyncCommands<byte[], byte[]> commands =
                        waitReplicas > 0 ? redis.commandsOfMasterOf(keys.messages()) : redis.commands();
                used.put(commands, Boolean.TRUE);
                results.add(scripts.enqueue(
                                commands,
                                keys(keys, message, position, held),
                                args(keys, message, position, held != null, quotaMessages, quotaBytes))
                        .toCompletableFuture()
                        .thenApply(RedisMessageQueue::enqueued));
            }
            List<CompletableFuture<Long>> waits = new ArrayList<>();
            if (waitReplicas > 0) {
                for (RedisClusterAsyncCommands<byte[], byte[]> commands : used.keySet()) {
                    waits.add(commands.waitForReplication(waitReplicas, WAIT_TIMEOUT.toMillis())
                            .toCompletableFuture());
                }
            }
            CompletableFuture<?>[] all = new CompletableFuture<?>[results.size() + waits.size()];
            for (int i = 0; i < results.size(); i++) {
                all[i] = results.get(i);
            }
            for (int i = 0; i < waits.size(); i++) {
                all[results.size() + i] = waits.get(i);
            }
            return CompletableFuture.allOf(all).handle((ignored, failure) -> {
                if (failure != null) {
                    throw unavailable("redis: the enqueue failed", failure);
                }
                for (CompletableFuture<Long> wait : waits) {
                    long acknowledged = wait.join();
                    if (acknowledged < waitReplicas) {
                        throw SluiceException.unavailable(
                                "redis: " + acknowledged + " of " + waitReplicas
                                        + " replicas acknowledged the enqueue within " + WAIT_TIMEOUT,
                                null);
                    }
                }
                return results.stream().map(CompletableFuture::join).toList();
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unavailable("redis: the enqueue failed", e));
        }
    }

    /**
     * The streams with more than one message for one device in the call: only their messages need the hold that a
     * refusal leaves for the later ones (a lone message, the usual call, pays nothing for it).
     */
    private static Set<DeviceStream> sharedStreams(List<Enqueue> batch, List<StreamPosition> positions) {
        if (batch.size() < 2) {
            return Set.of();
        }
        Set<DeviceStream> seen = new HashSet<>();
        Set<DeviceStream> shared = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            if (positions.get(i) != null) {
                DeviceStream stream = new DeviceStream(batch.get(i).recipient(), positions.get(i).stream());
                if (!seen.add(stream)) {
                    shared.add(stream);
                }
            }
        }
        return shared;
    }

    private record DeviceStream(Address device, String stream) {}

    /** @param held the call's hold of the message's stream for its device, or null when the call needs none */
    private static byte[][] keys(QueueKeys keys, Enqueue message, StreamPosition position, byte[] held) {
        byte[] dedup = message.dedupId() != null && position == null ? keys.dedup(message.dedupId()) : keys.usage();
        return new byte[][] {
            keys.sequence(), keys.messages(), keys.usage(), keys.streams(), dedup, held != null ? held : keys.usage()
        };
    }

    private byte[][] args(
            QueueKeys keys,
            Enqueue message,
            StreamPosition position,
            boolean hold,
            byte[] quotaMessages,
            byte[] quotaBytes) {
        byte[] kind = position != null ? STREAM : message.dedupId() != null ? PLAIN : NONE;
        return new byte[][] {
            message.body(),
            kind,
            position == null ? EMPTY : position.stream().getBytes(StandardCharsets.UTF_8),
            position == null ? EMPTY : ascii(position.position()),
            quotaMessages,
            quotaBytes,
            retentionMillis,
            redis.cluster() ? SPUBLISH : PUBLISH,
            keys.channel(),
            hold ? HOLD : EMPTY
        };
    }

    private static Enqueued enqueued(List<Long> reply) {
        QueueUsage usage = new QueueUsage(reply.get(2), reply.get(3));
        return switch (reply.get(0).intValue()) {
            case 0 -> new Enqueued(Enqueued.Outcome.QUEUED, reply.get(1), usage);
            case 1 -> new Enqueued(Enqueued.Outcome.DUPLICATE, 0, usage);
            case 2 -> new Enqueued(Enqueued.Outcome.REFUSED_MESSAGES_QUOTA, 0, usage);
            case 3 -> new Enqueued(Enqueued.Outcome.REFUSED_BYTES_QUOTA, 0, usage);
            default -> throw new IllegalStateException("enqueue.lua answered outcome " + reply.get(0));
        };
    }

    @Override
    public CompletionStage<List<QueuedMessage>> read(Address recipient, long afterId, int max) {
        if (max <= 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        return call(
                "read",
                () -> redis.commands()
                        .zrangebyscore(
                                QueueKeys.of(recipient).messages(),
                                Range.from(Range.Boundary.excluding(afterId), Range.Boundary.unbounded()),
                                Limit.create(0, max)),
                members -> members.stream().map(RedisMessageQueue::message).toList());
    }

    /** A member of the messages set, {@code <id>:<queued-at ms>:<body>}. */
    static QueuedMessage message(byte[] member) {
        int first = indexOf(member, 0);
        int second = indexOf(member, first + 1);
        long id = Long.parseLong(new String(member, 0, first, StandardCharsets.US_ASCII));
        long queuedAt = Long.parseLong(new String(member, first + 1, second - first - 1, StandardCharsets.US_ASCII));
        return new QueuedMessage(
                id, Arrays.copyOfRange(member, second + 1, member.length), Instant.ofEpochMilli(queuedAt));
    }

    private static int indexOf(byte[] member, int from) {
        for (int i = from; i < member.length; i++) {
            if (member[i] == ':') {
                return i;
            }
        }
        throw new IllegalStateException("not a queued message: no ':' after " + from);
    }

    @Override
    public CompletionStage<Void> acknowledge(Address recipient, long id) {
        QueueKeys keys = QueueKeys.of(recipient);
        return call(
                "acknowledge",
                () -> scripts.acknowledge(redis.commands(), new byte[][] {keys.messages(), keys.usage()}, ascii(id)),
                removed -> null);
    }

    @Override
    public CompletionStage<QueueUsage> usage(Address recipient) {
        return call(
                "usage",
                () -> redis.commands().hmget(QueueKeys.of(recipient).usage(), MESSAGES, BYTES),
                values -> new QueueUsage(
                        values.get(0).isEmpty()
                                ? 0
                                : Long.parseLong(new String(values.get(0).getValue(), StandardCharsets.US_ASCII)),
                        values.get(1).isEmpty()
                                ? 0
                                : Long.parseLong(new String(values.get(1).getValue(), StandardCharsets.US_ASCII))));
    }

    @Override
    public void checkAvailable() {
        if (!redis.isOpen()) {
            throw SluiceException.unavailable(
                    "redis: not connected to " + (redis.cluster() ? "the cluster" : "the server"), null);
        }
    }

    /** Whether the command connection is open now (what {@link #checkAvailable()} looks at). */
    boolean connected() {
        return redis.isOpen();
    }

    @Override
    public Subscription subscribe(Address recipient, Listener listener) {
        return subscriptions.subscribe(recipient, listener);
    }

    @Override
    public CompletionStage<Void> signal(Address recipient, Signal signal) {
        byte[] channel = QueueKeys.of(recipient).channel();
        byte[] payload = switch (signal) {
            case PREKEYS_CLAIMED -> QueueSubscriptions.PREKEYS_CLAIMED;
        };
        return call(
                "signal",
                () -> redis.cluster()
                        ? redis.commands().spublish(channel, payload)
                        : redis.commands().publish(channel, payload),
                receivers -> null);
    }

    @Override
    public void close() {
        subscriptions.close();
        if (ownsConnection) {
            redis.close();
        }
    }

    /** Runs one command, mapping any failure to {@code unavailable}. */
    private static <R, T> CompletionStage<T> call(
            String what,
            java.util.function.Supplier<RedisFuture<R>> command,
            java.util.function.Function<R, T> result) {
        try {
            return command.get().toCompletableFuture().handle((reply, failure) -> {
                if (failure != null) {
                    throw unavailable("redis: the " + what + " failed", failure);
                }
                return result.apply(reply);
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unavailable("redis: the " + what + " failed", e));
        }
    }

    private static SluiceException unavailable(String description, Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof SluiceException sluice) {
            return sluice;
        }
        return SluiceException.unavailable(description + ": " + cause.getClass().getSimpleName(), cause);
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
