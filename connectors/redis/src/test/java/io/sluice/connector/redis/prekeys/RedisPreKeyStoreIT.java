package io.sluice.connector.redis.prekeys;

import io.sluice.connector.redis.TestRedis;
import io.sluice.spi.Address;
import io.sluice.spi.PreKeyStore;
import io.sluice.testing.redis.RedisServer;
import io.sluice.testkit.BackendControl;
import io.sluice.testkit.PreKeyStoreContract;
import io.sluice.testkit.TestKeys;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The prekey contract on a standalone Redis of the test's own, with an AOF fsynced on every write, so that the
 * outage test (kill -9, restart) finds the keys again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisPreKeyStoreIT extends PreKeyStoreContract {
    private RedisServer server;
    private RedisPreKeyStore store;

    @BeforeAll
    void start() {
        server = RedisServer.startWithAof("always");
        store = RedisPreKeyStore.open(TestRedis.standalone(server.uri()));
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
    protected PreKeyStore store() {
        return store;
    }

    /** Back means back for the store too: Lettuce reconnects on its own backoff, and meanwhile rejects commands. */
    private void awaitReconnected() {
        Address probe = TestKeys.address(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> store.count(probe) == 0);
    }

    @Override
    protected BackendControl backend() {
        return new BackendControl() {
            @Override
            public void takeDown() {
                server.kill9();
            }

            @Override
            public void bringBack() {
                server.restart();
                awaitReconnected();
            }
        };
    }
}
