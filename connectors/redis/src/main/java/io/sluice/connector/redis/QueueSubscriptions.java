package io.sluice.connector.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.sluice.spi.Address;
import io.sluice.spi.MessageQueue.Listener;
import io.sluice.spi.MessageQueue.Signal;
import io.sluice.spi.MessageQueue.Subscription;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wake-ups of one gateway: one Redis pub/sub connection, subscribed to the channel of each Address that has
 * a local subscriber ({@code SSUBSCRIBE} on a Redis Cluster, so the shard of the device publishes; {@code
 * SUBSCRIBE} on a standalone server). Local subscribers of one Address share one Redis subscription.
 *
 * <p>A (re)subscription confirmed by Redis wakes every subscriber of its channel, and after the pub/sub connection
 * was lost every channel is subscribed again and woken: a notification lost meanwhile never strands a message.
 */
final class QueueSubscriptions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueSubscriptions.class);
    /** The payload published when a message was queued. */
    static final byte[] WAKE = {'w'};
    /** The payload of {@link Signal#PREKEYS_CLAIMED}. */
    static final byte[] PREKEYS_CLAIMED = {'p'};

    private final RedisConnection redis;
    private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
    private final boolean sharded;
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sluice-redis-resubscribe").daemon().factory());
    private final AtomicBoolean lost = new AtomicBoolean();
    private final RedisConnectionStateListener states = new RedisConnectionStateListener() {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            lost.set(true);
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
            if (lost.getAndSet(false)) {
                LOG.atWarn()
                        .addKeyValue("event", "redis_subscriber_reconnected")
                        .log();
                resubscribeAll(0);
            }
        }
    };

    QueueSubscriptions(RedisConnection redis) {
        this.redis = redis;
        this.connection = redis.connectPubSub();
        this.sharded = redis.cluster();
        if (connection instanceof StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster) {
            // Sharded channels are subscribed on the node connections: hand their messages to the listener below.
            cluster.setNodeMessagePropagation(true);
        }
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                deliver(channel, message);
            }

            @Override
            public void smessage(byte[] channel, byte[] message) {
                deliver(channel, message);
            }

            @Override
            public void subscribed(byte[] channel, long count) {
                wakeAll(channel);
            }

            @Override
            public void ssubscribed(byte[] channel, long count) {
                wakeAll(channel);
            }
        });
        redis.client().addListener(states);
    }

    /** Adds a local subscriber; the first one of an Address subscribes its channel. */
    Subscription subscribe(Address address, Listener listener) {
        byte[] channel = QueueKeys.of(address).channel();
        String name = name(channel);
        synchronized (lock) {
            List<Listener> list = listeners.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>());
            boolean first = list.isEmpty();
            list.add(listener);
            if (first) {
                subscribeChannel(channel).exceptionally(failure -> {
                    // Disconnected now: the subscription is made once the connection is back.
                    lost.set(true);
                    resubscribeAll(500);
                    return null;
                });
            }
        }
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.getAndSet(true)) {
                return;
            }
            synchronized (lock) {
                List<Listener> list = listeners.get(name);
                if (list == null) {
                    return;
                }
                list.remove(listener);
                if (list.isEmpty()) {
                    listeners.remove(name);
                    unsubscribeChannel(channel);
                }
            }
        };
    }

    private CompletableFuture<Void> subscribeChannel(byte[] channel) {
        try {
            return (sharded
                            ? connection.async().ssubscribe(channel)
                            : connection.async().subscribe(channel))
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void unsubscribeChannel(byte[] channel) {
        try {
            (sharded
                            ? connection.async().sunsubscribe(channel)
                            : connection.async().unsubscribe(channel))
                    .exceptionally(failure -> null);
        } catch (RuntimeException e) {
            // Gone with the connection anyway.
        }
    }

    /** Subscribes every channel again (harmless when still subscribed), retrying until it works. */
    private void resubscribeAll(long delayMillis) {
        if (retries.isShutdown()) {
            return;
        }
        retries.schedule(
                () -> {
                    byte[][] channels;
                    synchronized (lock) {
                        channels = listeners.keySet().stream()
                                .map(QueueSubscriptions::bytes)
                                .toArray(byte[][]::new);
                    }
                    if (channels.length == 0) {
                        return;
                    }
                    try {
                        CompletableFuture.allOf(java.util.Arrays.stream(channels)
                                        .map(this::subscribeChannel)
                                        .toArray(CompletableFuture[]::new))
                                .get(5, TimeUnit.SECONDS);
                        // Confirmations woke each channel's subscribers already; this covers a channel whose
                        // confirmation raced the subscriber list.
                        for (byte[] channel : channels) {
                            wakeAll(channel);
                        }
                    } catch (Exception e) {
                        if (e instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        resubscribeAll(500);
                    }
                },
                delayMillis,
                TimeUnit.MILLISECONDS);
    }

    private void deliver(byte[] channel, byte[] message) {
        if (message.length == 1 && message[0] == PREKEYS_CLAIMED[0]) {
            signalAll(channel, Signal.PREKEYS_CLAIMED);
        } else {
            wakeAll(channel);
        }
    }

    private void wakeAll(byte[] channel) {
        List<Listener> list = listeners.get(name(channel));
        if (list == null) {
            return;
        }
        for (Listener listener : list) {
            try {
                listener.wake();
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    private void signalAll(byte[] channel, Signal signal) {
        List<Listener> list = listeners.get(name(channel));
        if (list == null) {
            return;
        }
        for (Listener listener : list) {
            try {
                listener.signalled(signal);
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    private static void failed(RuntimeException e) {
        LOG.atWarn()
                .addKeyValue("event", "queue_listener_failed")
                .addKeyValue("error", e.getClass().getName())
                .log();
    }

    private static String name(byte[] channel) {
        return new String(channel, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        retries.shutdownNow();
        redis.client().removeListener(states);
        connection.close();
    }
}
