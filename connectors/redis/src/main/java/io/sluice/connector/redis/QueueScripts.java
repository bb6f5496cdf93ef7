package io.sluice.connector.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The queue's Lua scripts, each one atomic step on one device's keys. They are sent with {@code EVAL}: Redis
 * compiles a script once and keeps it by its digest, and unlike {@code EVALSHA} a server that lost its script
 * cache (a restart, a failover) never answers {@code NOSCRIPT}, whose retry would reorder pipelined messages.
 */
final class QueueScripts {
    private final byte[] enqueue = load("enqueue.lua");
    private final byte[] acknowledge = load("acknowledge.lua");

    /** Runs {@code enqueue.lua}: replies {@code [outcome, id, messages, bytes]}. */
    RedisFuture<List<Long>> enqueue(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[][] keys, byte[][] args) {
        return commands.eval(enqueue, ScriptOutputType.MULTI, keys, args);
    }

    /** Runs {@code acknowledge.lua}: replies 1 when it removed the message. */
    RedisFuture<Long> acknowledge(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[][] keys, byte[] id) {
        return commands.eval(acknowledge, ScriptOutputType.INTEGER, keys, id);
    }

    private static byte[] load(String name) {
        try (InputStream in = QueueScripts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
