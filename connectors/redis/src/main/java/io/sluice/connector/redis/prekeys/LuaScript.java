package io.sluice.connector.redis.prekeys;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Lua script, run by its SHA-1 ({@code EVALSHA}) and sent in full ({@code EVAL}) only when the server does not
 * know it yet: after a restart, or on a cluster node that never ran it. Redis runs a script atomically, so each
 * script is one indivisible step on the shard that holds its keys.
 */
final class LuaScript {
    private final String source;
    private final String sha;
    private final ScriptOutputType output;

    LuaScript(String source, ScriptOutputType output) {
        this.source = source;
        this.output = output;
        try {
            this.sha = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the script; every key it touches must be in {@code keys} or share their hash tag. */
    <T> T run(RedisCalls calls, String operation, byte[][] keys, byte[]... args) {
        RedisClusterAsyncCommands<byte[], byte[]> commands = calls.commands();
        try {
            return calls.<T>call(() -> commands.evalsha(sha, output, keys, args), operation);
        } catch (NoScript e) {
            return calls.<T>call(() -> commands.eval(source, output, keys, args), operation);
        }
    }

    /** The server does not know the script (yet). */
    static final class NoScript extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoScript(RedisNoScriptException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
