package io.sluice.connector.redis.prekeys;

import io.sluice.connector.redis.TestRedis;
import io.sluice.spi.Address;
import io.sluice.spi.PreKeyStore;
import io.sluice.testing.redis.RedisClusterServers;
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
 * The prekey contract on a Redis Cluster of three masters: users spread over the shards, each user's keys on one,
 * and every script legal there. The outage kills every node with -9 and restarts them (each keeps an AOF).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterPreKeyStoreIT extends PreKeyStoreContract {
    private RedisClusterServers cluster;
    private RedisPreKeyStore store;

    @BeforeAll
    void start() {
        cluster = RedisClusterServers.start(3, 0, "always");
        store = RedisPreKeyStore.open(TestRedis.cluster(cluster.uri()));
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
    protected PreKeyStore store() {
        return store;
    }

    /** The cluster takes a few seconds to agree again after every node restarted. */
    @Override
    protected Duration outageTimeout() {
        return Duration.ofSeconds(30);
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
                cluster.nodes().forEach(RedisServer::kill9);
            }

            @Override
            public void bringBack() {
                cluster.nodes().forEach(RedisServer::restart);
                cluster.awaitHealthy();
                awaitReconnected();
            }
        };
    }
}
