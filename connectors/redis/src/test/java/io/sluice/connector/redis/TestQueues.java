package io.sluice.connector.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;

/** Settings of a test's queue on a test's own server. */
final class TestQueues {
    private TestQueues() {}

    /** A standalone server's queue. */
    static RedisSettings standalone(String uri) {
        return new RedisSettings(RedisURI.create(uri), false, 0, Duration.ofDays(30));
    }

    /** A cluster's queue. */
    static RedisSettings cluster(String uri) {
        return new RedisSettings(RedisURI.create(uri), true, 0, Duration.ofDays(30));
    }

    static RedisSettings withRetention(RedisSettings settings, Duration retention) {
        return new RedisSettings(settings.uri(), settings.cluster(), settings.waitReplicas(), retention);
    }

    static RedisSettings withWaitReplicas(RedisSettings settings, int replicas) {
        return new RedisSettings(settings.uri(), settings.cluster(), replicas, settings.retention());
    }
}
