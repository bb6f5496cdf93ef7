package io.sluice.connector.redis.limits;

import io.lettuce.core.RedisURI;
import io.sluice.connector.redis.RedisConnection;
import io.sluice.connector.redis.RedisSettings;
import io.sluice.spi.RateLimiters;
import io.sluice.testing.redis.RedisServer;
import io.sluice.testkit.RateLimitersContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The rate limiter contract on a standalone Redis of the test's own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisRateLimitersIT extends RateLimitersContract {
    private RedisServer server;
    private RedisRateLimiters store;

    static RedisSettings settings(String uri, boolean cluster) {
        return new RedisSettings(RedisURI.create(uri), cluster, 0, Duration.ofDays(30));
    }

    @BeforeAll
    void start() {
        server = RedisServer.start();
        store = RedisRateLimiters.owning(RedisConnection.open(settings(server.uri(), false)));
    }

    @AfterAll
    void stop() {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected RateLimiters store() {
        return store;
    }
}
