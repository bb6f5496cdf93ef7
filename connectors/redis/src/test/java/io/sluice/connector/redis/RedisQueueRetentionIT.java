package io.sluice.connector.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Address;
import io.sluice.spi.Enqueue;
import io.sluice.spi.Enqueued;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.QueueUsage;
import io.sluice.spi.QueuedMessage;
import io.sluice.testing.redis.RedisServer;
import io.sluice.testkit.TestKeys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** sluice.queue.retention: Redis itself expires a queue nobody fetches, counters included. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisQueueRetentionIT {
    private RedisServer server;
    private RedisMessageQueue queue;

    @BeforeAll
    void start() {
        server = RedisServer.start();
        queue = RedisMessageQueue.open(
                TestRedis.withRetention(TestRedis.standalone(server.uri()), Duration.ofSeconds(1)));
    }

    @AfterAll
    void stop() {
        queue.close();
        server.close();
    }

    private static <T> T join(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aMessageNobodyFetchesIsGoneAfterTheRetentionAndUsageIsBackToZero() throws Exception {
        Address to = TestKeys.address(1);
        Enqueued first = join(queue.enqueue(new Enqueue(to, TestKeys.bytes("unfetched"), "r-" + to), QueueQuota.NONE));
        join(queue.enqueue(new Enqueue(to, TestKeys.bytes("p"), "stream-" + to + "@7"), QueueQuota.NONE));
        assertThat(join(queue.usage(to))).isEqualTo(new QueueUsage(2, 10));

        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    assertThat(join(queue.read(to, 0, 10))).isEmpty();
                    assertThat(join(queue.usage(to))).isEqualTo(QueueUsage.EMPTY);
                });
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .alias("every key of the device expired, the dedup id too")
                .until(() -> server.command("DBSIZE").equals(":0"));

        Enqueued again = join(queue.enqueue(new Enqueue(to, TestKeys.bytes("later")), QueueQuota.NONE));
        assertThat(again.id()).as("ids keep growing after the queue vanished").isGreaterThan(first.id());
        assertThat(again.usage()).isEqualTo(new QueueUsage(1, 5));
    }

    @Test
    void eachEnqueueRenewsTheExpiryOfTheWholeQueue() throws Exception {
        Address to = TestKeys.address(1);
        join(queue.enqueue(new Enqueue(to, TestKeys.bytes("old")), QueueQuota.NONE));
        String usageKey = new String(QueueKeys.of(to).usage(), java.nio.charset.StandardCharsets.UTF_8);
        String messagesKey = new String(QueueKeys.of(to).messages(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(Long.parseLong(server.command("PTTL", usageKey).substring(1)))
                .isBetween(1L, 1000L);
        assertThat(Long.parseLong(server.command("PTTL", messagesKey).substring(1)))
                .isBetween(1L, 1000L);
        List<QueuedMessage> read = join(queue.read(to, 0, 10));
        join(queue.acknowledge(to, read.get(0).id()));
        assertThat(join(queue.usage(to))).isEqualTo(QueueUsage.EMPTY);
    }
}
