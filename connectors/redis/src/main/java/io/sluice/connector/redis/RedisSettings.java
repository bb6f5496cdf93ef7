package io.sluice.connector.redis;

import io.lettuce.core.RedisURI;
import io.sluice.spi.Setting;
import io.sluice.spi.SettingDefinitions;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.time.Duration;
import java.util.List;

/**
 * The Redis backends' settings, read once by whichever of them is configured.
 *
 * @param uri          sluice.redis.uri: the server, or a seed of the cluster ({@code redis://}, {@code rediss://}
 *                     for TLS, with user and password when the server wants them)
 * @param cluster      sluice.redis.cluster: the URI is a seed of a Redis Cluster
 * @param waitReplicas sluice.redis.wait-replicas: replicas a queue write must reach before the sender's ack
 * @param retention    sluice.queue.retention: how long a message nobody fetches stays queued
 */
public record RedisSettings(RedisURI uri, boolean cluster, int waitReplicas, Duration retention) {

    public static final Setting<RedisURI> URI = Setting.of(
                    "sluice.redis.uri",
                    RedisSettings::parseUri,
                    "redis://127.0.0.1:6379",
                    "the Redis server, or a seed of the Redis Cluster: redis://[user:password@]host:port,"
                            + " rediss:// for TLS")
            .secret();
    public static final Setting<Boolean> CLUSTER =
            Setting.bool("sluice.redis.cluster", false, "true: sluice.redis.uri is a seed of a Redis Cluster");
    public static final Setting<Integer> WAIT_REPLICAS = Setting.integer(
            "sluice.redis.wait-replicas",
            0,
            0,
            16,
            "replicas each queue write must reach (WAIT) before the sender's ack; if they do not within the"
                    + " request timeout the sender gets unavailable");
    public static final Setting<Duration> RETENTION = Setting.duration(
            "sluice.queue.retention",
            "30d",
            "how long a queued message nobody fetches is kept (on Redis: the key's expiry, applied by Redis)");

    /** What a refused URI is shown as: it may hold a password. */
    private static final String HIDDEN = "(not shown: it may hold a password)";

    /** Reads the settings. */
    public static RedisSettings from(Settings settings) {
        return new RedisSettings(
                URI.get(settings), CLUSTER.get(settings), WAIT_REPLICAS.get(settings), RETENTION.get(settings));
    }

    private static RedisURI parseUri(String key, String text) {
        try {
            RedisURI uri = RedisURI.create(text);
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new SettingException(key, HIDDEN, "a Redis URI with a host, for example redis://127.0.0.1:6379");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new SettingException(key, HIDDEN, "a Redis URI such as redis://127.0.0.1:6379");
        }
    }

    /** Declares them, as module {@code redis}. */
    public static final class Definitions implements SettingDefinitions {
        @Override
        public String module() {
            return "redis";
        }

        @Override
        public List<Setting<?>> settings() {
            return List.of(URI, CLUSTER, WAIT_REPLICAS, RETENTION);
        }
    }
}
