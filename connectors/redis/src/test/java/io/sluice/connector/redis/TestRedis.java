package io.sluice.connector.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;

/** Settings of a test's own Redis server or cluster, for the queue, the prekey store and the limits alike. */
public final class TestRedis {
    private TestRedis() {}

    /** A standalone server's. */
    public static RedisSettings standalone(String uri) {
        return new RedisSettings(RedisURI.create(uri), false, 0, Duration.ofDays(30));
    }

    /** A cluster's, {@code uri} one of its nodes. */
    public static RedisSettings cluster(String uri) {
        return new RedisSettings(RedisURI.create(uri), true, 0, Duration.ofDays(30));
    }

    /** The same settings with another retention. */
    public static RedisSettings withRetention(RedisSettings settings, Duration retention) {
        return new RedisSettings(settings.uri(), settings.cluster(), settings.waitReplicas(), retention);
    }

    /** The same settings waiting for {@code replicas} replicas. */
    public static RedisSettings withWaitReplicas(RedisSettings settings, int replicas) {
        return new RedisSettings(settings.uri(), settings.cluster(), replicas, settings.retention());
    }
}
