package io.sluice.connector.redis.limits;

import io.sluice.connector.redis.RedisConnection;
import io.sluice.connector.redis.TestRedis;
import io.sluice.spi.RateLimiters;
import io.sluice.testing.redis.RedisServer;
import io.sluice.testkit.RateLimitersContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The rate limiter contract on a standalone Redis of the test's own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisRateLimitersIT extends RateLimitersContract {
    private RedisServer server;
    private RedisRateLimiters store;

    @BeforeAll
    void start() {
        server = RedisServer.start();
        store = RedisRateLimiters.owning(RedisConnection.open(TestRedis.standalone(server.uri())));
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
