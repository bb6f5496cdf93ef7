package io.sluice.connector.redis.prekeys;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.sluice.connector.redis.RedisConnection;
import io.sluice.spi.SluiceException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a Redis reply within a deadline and turns every failure (connection lost or refused, timeout, cluster
 * down) into {@link SluiceException} {@code unavailable}. The connection rejects commands while disconnected, so
 * an outage answers at once rather than at the deadline.
 */
final class RedisCalls {
    private static final Logger LOG = LoggerFactory.getLogger(RedisCalls.class);

    private final RedisConnection connection;
    private final Duration timeout;

    RedisCalls(RedisConnection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    RedisClusterAsyncCommands<byte[], byte[]> commands() {
        return connection.commands();
    }

    /** The reply; {@link LuaScript.NoScript} when an {@code EVALSHA} named a script the server lacks. */
    <T> T call(Supplier<RedisFuture<T>> command, String operation) {
        RedisFuture<T> future = null;
        try {
            future = command.get();
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisNoScriptException noScript) {
                throw new LuaScript.NoScript(noScript);
            }
            throw unavailable(operation, e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw unavailable(operation, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(operation, e);
        } catch (RuntimeException e) {
            // Lettuce may throw at once (connection closed, command rejected).
            throw unavailable(operation, e);
        }
    }

    /**
     * A failed call, answered {@code unavailable}. Logged at DEBUG only, without user ids or keys: the gateway logs
     * and counts each failed request already, and an outage would otherwise log once per request.
     */
    static SluiceException unavailable(String operation, Throwable cause) {
        String reason = cause == null ? "" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        LOG.atDebug()
                .addKeyValue("event", "redis_prekeys_unavailable")
                .addKeyValue("operation", operation)
                .addKeyValue("reason", reason)
                .log("Redis prekey store unreachable; answering unavailable");
        // The description reaches the client: no addresses or Redis errors in it; the cause keeps them for logs.
        return SluiceException.unavailable("prekey store (Redis) unavailable during " + operation, cause);
    }
}
