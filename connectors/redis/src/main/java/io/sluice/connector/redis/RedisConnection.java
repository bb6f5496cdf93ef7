package io.sluice.connector.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One Lettuce client and its shared connection, to a standalone server or a Redis Cluster as the settings say.
 * Commands go through {@link #commands()}, which both kinds answer the same way; a Redis Cluster routes each key
 * to its shard. Lettuce reconnects by itself after a loss; commands issued meanwhile fail at once rather than
 * wait, so each request answers {@code unavailable} within its own deadline. Reconnect attempts back off with
 * jitter up to {@link #RECONNECT_CEILING}, not Lettuce's default 30 s, so a Redis that comes back after a long
 * outage serves again within about a second, and many gateways do not all retry in step.
 */
public final class RedisConnection implements AutoCloseable {

    /** The longest wait between two reconnect attempts. */
    static final Duration RECONNECT_CEILING = Duration.ofSeconds(1);

    private final AbstractRedisClient client;
    private final StatefulConnection<byte[], byte[]> connection;
    private final RedisClusterAsyncCommands<byte[], byte[]> commands;
    private final boolean cluster;

    private RedisConnection(
            AbstractRedisClient client,
            StatefulConnection<byte[], byte[]> connection,
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            boolean cluster) {
        this.client = client;
        this.connection = connection;
        this.commands = commands;
        this.cluster = cluster;
    }

    /** Connects as the settings say. */
    public static RedisConnection open(RedisSettings settings) {
        SocketOptions socket =
                SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build();
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.equalJitter(Duration.ofMillis(10), RECONNECT_CEILING, 10, TimeUnit.MILLISECONDS))
                .build();
        if (settings.cluster()) {
            RedisClusterClient client = RedisClusterClient.create(resources, settings.uri());
            client.setOptions(ClusterClientOptions.builder()
                    .socketOptions(socket)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            .enablePeriodicRefresh(Duration.ofSeconds(5))
                            .build())
                    .build());
            var connection = client.connect(ByteArrayCodec.INSTANCE);
            RedisConnection opened = new RedisConnection(client, connection, connection.async(), true);
            opened.connectMasters();
            return opened;
        }
        RedisClient client = RedisClient.create(resources, settings.uri());
        client.setOptions(ClientOptions.builder()
                .socketOptions(socket)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
                .build());
        var connection = client.connect(ByteArrayCodec.INSTANCE);
        return new RedisConnection(client, connection, connection.async(), false);
    }

    /** The commands, async; keys of one device share a hash tag so a cluster keeps them on one shard. */
    public RedisClusterAsyncCommands<byte[], byte[]> commands() {
        return commands;
    }

    /** The client, for further connections (pub/sub). */
    public AbstractRedisClient client() {
        return client;
    }

    /** Whether this is a Redis Cluster. */
    public boolean cluster() {
        return cluster;
    }

    /**
     * The commands of the one connection to the master that serves {@code key} now: on a cluster, the node's own
     * connection (no redirects followed), so that a {@code WAIT} issued on it covers the writes sent on it; on a
     * standalone server, the shared connection.
     */
    public RedisClusterAsyncCommands<byte[], byte[]> commandsOfMasterOf(byte[] key) {
        if (!(connection instanceof StatefulRedisClusterConnection<byte[], byte[]> clustered)) {
            return commands;
        }
        RedisClusterNode node = clustered.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
        if (node == null) {
            throw new IllegalStateException("no master serves slot " + SlotHash.getSlot(key));
        }
        // By host and port: the connection the cluster's own routing by slot uses (by node id would be another).
        RedisAsyncCommands<byte[], byte[]> nodeCommands = clustered
                .getConnection(node.getUri().getHost(), node.getUri().getPort())
                .async();
        return nodeCommands;
    }

    /**
     * Connects to every master now, so that the first commands routed to a shard do not meet a connection still
     * being made (which a client rejecting commands while disconnected refuses). Best effort.
     */
    private void connectMasters() {
        if (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> clustered) {
            for (RedisClusterNode node : clustered.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                    try {
                        clustered
                                .getConnectionAsync(
                                        node.getUri().getHost(), node.getUri().getPort())
                                .get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        if (e instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        // Reconnects by itself; commands meanwhile answer unavailable.
                    }
                }
            }
        }
    }

    /** A new publish/subscribe connection of the same client: the caller closes it. */
    public StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub() {
        if (client instanceof RedisClusterClient clusterClient) {
            return clusterClient.connectPubSub(ByteArrayCodec.INSTANCE);
        }
        return ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
    }

    /**
     * Whether the connection is open now; on a cluster, also the connection to every master that serves slots (a
     * check of what is known, no query).
     */
    public boolean isOpen() {
        if (!connection.isOpen()) {
            return false;
        }
        if (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> clustered) {
            for (RedisClusterNode node : clustered.getPartitions()) {
                // Only the masters that serve slots now: after a failover the old master stays in the topology,
                // flagged failed and without slots, until it comes back as a replica.
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)
                        && !node.getSlots().isEmpty()) {
                    var future = clustered.getConnectionAsync(
                            node.getUri().getHost(), node.getUri().getPort());
                    if (!future.isDone()
                            || future.isCompletedExceptionally()
                            || !future.join().isOpen()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        client.getResources().shutdown(0, 2, TimeUnit.SECONDS);
    }
}
