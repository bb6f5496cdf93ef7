package io.sluice.connector.redis;

import io.sluice.spi.MessageQueue;
import io.sluice.testing.redis.RedisClusterServers;
import io.sluice.testkit.BackendControl;
import io.sluice.testkit.MessageQueueContract;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The queue contract on a Redis Cluster of three masters, each keeping an append-only file fsynced on every
 * write; the outage kills every node with -9 and starts them again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterMessageQueueIT extends MessageQueueContract {
    private RedisClusterServers cluster;
    private RedisMessageQueue queue;

    @BeforeAll
    void start() {
        cluster = RedisClusterServers.start(3, 0, "always");
        queue = RedisMessageQueue.open(TestRedis.cluster(cluster.uri()));
    }

    @AfterAll
    void stop() {
        if (queue != null) {
            queue.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected MessageQueue queue() {
        return queue;
    }

    @Override
    protected Duration callTimeout() {
        return Duration.ofSeconds(20);
    }

    @Override
    protected BackendControl backend() {
        return new BackendControl() {
            @Override
            public void takeDown() {
                cluster.killAll();
                // Down once the client saw its connection drop, as the next readiness probe would.
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !queue.connected());
            }

            @Override
            public void bringBack() {
                cluster.restartAll();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(queue::connected);
            }
        };
    }
}
