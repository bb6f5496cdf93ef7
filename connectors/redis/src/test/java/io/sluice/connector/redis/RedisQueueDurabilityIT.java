package io.sluice.connector.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Address;
import io.sluice.spi.Enqueue;
import io.sluice.spi.Enqueued;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.QueuedMessage;
import io.sluice.testing.redis.RedisServer;
import io.sluice.testkit.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an ack is worth with {@code appendfsync always}: Redis killed with -9 while senders enqueue, started again
 * from its append-only file, and every message whose enqueue completed is there, once.
 */
class RedisQueueDurabilityIT {
    private static final Logger LOG = LoggerFactory.getLogger(RedisQueueDurabilityIT.class);
    private static final int SENDERS = 4;
    private static final int IN_FLIGHT = 16;
    private static final int MAX_PER_SENDER = 20_000;

    @Test
    void everyAckedMessageSurvivesAKillNineWithAppendfsyncAlways() throws Exception {
        try (RedisServer server = RedisServer.startWithAof("always");
                RedisMessageQueue queue = RedisMessageQueue.open(TestRedis.standalone(server.uri()))) {
            Address to = TestKeys.address(1);
            Set<String> acked = ConcurrentHashMap.newKeySet();
            List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                senders.add(Thread.ofPlatform().start(() -> send(queue, to, sender, acked)));
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 500);
            server.kill9();
            for (Thread sender : senders) {
                sender.join(30_000);
            }
            int ackedAtKill = acked.size();

            server.restart();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(queue::connected);
            List<QueuedMessage> all = Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(
                            () -> queue.read(to, 0, Integer.MAX_VALUE)
                                    .toCompletableFuture()
                                    .get(10, TimeUnit.SECONDS),
                            messages -> true);
            Map<String, Integer> copies = new HashMap<>();
            for (QueuedMessage message : all) {
                copies.merge(new String(message.body(), StandardCharsets.UTF_8), 1, Integer::sum);
            }
            long lost = acked.stream().filter(body -> !copies.containsKey(body)).count();
            long duplicated = copies.values().stream().filter(n -> n > 1).count();
            LOG.atInfo()
                    .addKeyValue("event", "durability_result")
                    .addKeyValue("acked", ackedAtKill)
                    .addKeyValue("stored", all.size())
                    .addKeyValue("lost", lost)
                    .addKeyValue("duplicated", duplicated)
                    .log();
            assertThat(lost).as("acked messages lost").isZero();
            assertThat(duplicated).as("messages stored twice").isZero();
            assertThat(all.size())
                    .as("at most the acked ones and those in flight at the kill")
                    .isBetween(ackedAtKill, ackedAtKill + SENDERS * IN_FLIGHT);
        }
    }

    /** Enqueues with {@link #IN_FLIGHT} calls pipelined until Redis fails, recording each message acked. */
    private static void send(RedisMessageQueue queue, Address to, int sender, Set<String> acked) {
        List<CompletableFuture<Void>> window = new ArrayList<>();
        for (int i = 0; i < MAX_PER_SENDER; i++) {
            String body = sender + "-" + i;
            window.add(queue.enqueue(new Enqueue(to, body.getBytes(StandardCharsets.UTF_8)), QueueQuota.NONE)
                    .toCompletableFuture()
                    .thenAccept(result -> {
                        if (result.outcome() == Enqueued.Outcome.QUEUED) {
                            acked.add(body);
                        }
                    }));
            if (window.size() == IN_FLIGHT) {
                try {
                    CompletableFuture.allOf(window.toArray(CompletableFuture[]::new))
                            .get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    return; // Redis is gone: what completed is counted
                }
                window.clear();
            }
        }
    }
}
