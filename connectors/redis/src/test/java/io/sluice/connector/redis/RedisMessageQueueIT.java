package io.sluice.connector.redis;

import io.sluice.spi.MessageQueue;
import io.sluice.testing.redis.RedisServer;
import io.sluice.testkit.BackendControl;
import io.sluice.testkit.MessageQueueContract;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The queue contract on a standalone server of its own, with an append-only file fsynced on every write, so what
 * was queued before an outage (kill -9, restart) is there after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisMessageQueueIT extends MessageQueueContract {
    private RedisServer server;
    private RedisMessageQueue queue;

    @BeforeAll
    void start() {
        server = RedisServer.startWithAof("always");
        queue = RedisMessageQueue.open(TestRedis.standalone(server.uri()));
    }

    @AfterAll
    void stop() {
        if (queue != null) {
            queue.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected MessageQueue queue() {
        return queue;
    }

    @Override
    protected BackendControl backend() {
        return new BackendControl() {
            @Override
            public void takeDown() {
                server.kill9();
                // Down once the client saw its connection drop, as the next readiness probe would.
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !queue.connected());
            }

            @Override
            public void bringBack() {
                server.restart();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(queue::connected);
            }
        };
    }
}
