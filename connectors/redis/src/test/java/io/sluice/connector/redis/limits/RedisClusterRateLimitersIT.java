package io.sluice.connector.redis.limits;

import io.sluice.connector.redis.RedisConnection;
import io.sluice.connector.redis.TestRedis;
import io.sluice.spi.RateLimiters;
import io.sluice.testing.redis.RedisClusterServers;
import io.sluice.testkit.RateLimitersContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The rate limiter contract on a Redis Cluster of three masters: each bucket one key, on the shard of its tag. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterRateLimitersIT extends RateLimitersContract {
    private RedisClusterServers cluster;
    private RedisRateLimiters store;

    @BeforeAll
    void start() {
        cluster = RedisClusterServers.start(3, 0);
        store = RedisRateLimiters.owning(RedisConnection.open(TestRedis.cluster(cluster.uri())));
    }

    @AfterAll
    void stop() {
        if (store != null) {
            store.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected RateLimiters store() {
        return store;
    }
}
