package io.sluice.connector.redis.prekeys;

import io.lettuce.core.RedisURI;
import io.sluice.connector.redis.RedisSettings;
import java.time.Duration;

/** Settings of a test's own Redis server or cluster. */
final class TestRedis {
    private TestRedis() {}

    static RedisSettings standalone(String uri) {
        return new RedisSettings(RedisURI.create(uri), false, 0, Duration.ofDays(30));
    }

    static RedisSettings cluster(String uri) {
        return new RedisSettings(RedisURI.create(uri), true, 0, Duration.ofDays(30));
    }
}
