package io.sluice.connector.redis.limits;

import io.github.bucket4j.redis.lettuce.RedisApi;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * The three commands Bucket4j's Lettuce proxy manager needs, over the commands of a {@code RedisConnection}, which
 * a standalone server and a Redis Cluster answer alike (a cluster routes each single-key call to its shard). Keys
 * are {@code byte[]} typed as {@code Object}: Bucket4j builds its key arrays as {@code Object[]}.
 */
final class LettuceApi implements RedisApi<Object> {
    private final RedisClusterAsyncCommands<byte[], byte[]> commands;

    LettuceApi(RedisClusterAsyncCommands<byte[], byte[]> commands) {
        this.commands = commands;
    }

    @Override
    public <V> RedisFuture<V> eval(String script, ScriptOutputType type, Object[] keys, byte[]... values) {
        byte[][] binary = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            binary[i] = (byte[]) keys[i];
        }
        return commands.eval(script, type, binary, values);
    }

    @Override
    public RedisFuture<byte[]> get(Object key) {
        return commands.get((byte[]) key);
    }

    @Override
    public RedisFuture<?> delete(Object key) {
        return commands.del((byte[]) key);
    }
}
