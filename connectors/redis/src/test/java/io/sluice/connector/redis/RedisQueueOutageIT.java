package io.sluice.connector.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.spi.Address;
import io.sluice.spi.Enqueue;
import io.sluice.spi.Enqueued;
import io.sluice.spi.ErrorName;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.SluiceException;
import io.sluice.testing.redis.RedisServer;
import io.sluice.testkit.TestKeys;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Redis killed with -9 and started again: unavailable promptly, then serving, and subscribers woken. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisQueueOutageIT {
    private RedisServer server;
    private RedisMessageQueue queue;

    @BeforeAll
    void start() {
        server = RedisServer.start();
        queue = RedisMessageQueue.open(TestRedis.standalone(server.uri()));
    }

    @AfterAll
    void stop() {
        queue.close();
        server.close();
    }

    @Test
    void killedRedisAnswersUnavailableWithinSecondsAndAfterARestartServesAndWakesSubscribers() throws Exception {
        Address to = TestKeys.address(1);
        AtomicInteger wakes = new AtomicInteger();
        MessageQueue.Subscription online = queue.subscribe(to, wakes::incrementAndGet);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> wakes.get() >= 1);
        queue.enqueue(new Enqueue(to, TestKeys.bytes("before")), QueueQuota.NONE)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        server.kill9();
        long started = System.nanoTime();
        assertThatThrownBy(() -> queue.enqueue(new Enqueue(to, TestKeys.bytes("during")), QueueQuota.NONE)
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        SluiceException.class, e -> assertThat(e.errorName()).isEqualTo(ErrorName.UNAVAILABLE));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        Awaitility.await()
                .atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThatThrownBy(queue::checkAvailable)
                        .isInstanceOfSatisfying(
                                SluiceException.class,
                                e -> assertThat(e.errorName()).isEqualTo(ErrorName.UNAVAILABLE)));

        int wakesBeforeRestart = wakes.get();
        server.restart();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .alias("the resubscription wakes the subscriber, whose wake-ups may have been lost")
                .until(() -> wakes.get() > wakesBeforeRestart);
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(queue::checkAvailable);
        Enqueued after = queue.enqueue(new Enqueue(to, TestKeys.bytes("after")), QueueQuota.NONE)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(after.outcome()).isEqualTo(Enqueued.Outcome.QUEUED);
        int wakesAfterRestart = wakes.get();
        queue.enqueue(new Enqueue(to, TestKeys.bytes("and wakes")), QueueQuota.NONE)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> wakes.get() > wakesAfterRestart);
        online.close();
    }
}
