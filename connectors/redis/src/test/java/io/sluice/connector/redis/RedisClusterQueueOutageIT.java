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
import io.sluice.testing.redis.RedisClusterServers;
import io.sluice.testkit.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Every node of a Redis Cluster killed with -9 and started again: subscribers on every shard are woken by their
 * resubscription and then by new messages, as on a standalone server.
 */
class RedisClusterQueueOutageIT {

    @Test
    void afterTheWholeClusterRestartedSubscribersOnEveryShardAreWokenAgain() throws Exception {
        try (RedisClusterServers cluster = RedisClusterServers.start(3, 0, "always");
                RedisMessageQueue queue = RedisMessageQueue.open(TestRedis.cluster(cluster.uri()))) {
            List<Address> addresses = new ArrayList<>();
            List<AtomicInteger> wakes = new ArrayList<>();
            List<MessageQueue.Subscription> subscriptions = new ArrayList<>();
            for (int i = 0; i < 12; i++) { // enough Addresses for every shard to hold some
                Address to = TestKeys.address(1);
                AtomicInteger woken = new AtomicInteger();
                addresses.add(to);
                wakes.add(woken);
                subscriptions.add(queue.subscribe(to, woken::incrementAndGet));
            }
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> wakes.stream().allMatch(w -> w.get() >= 1));

            cluster.killAll();
            assertThatThrownBy(() -> queue.enqueue(
                                    new Enqueue(addresses.get(0), TestKeys.bytes("during")), QueueQuota.NONE)
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(
                            SluiceException.class,
                            e -> assertThat(e.errorName()).isEqualTo(ErrorName.UNAVAILABLE));
            List<Integer> before = wakes.stream().map(AtomicInteger::get).toList();

            cluster.restartAll();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .alias("every subscriber is woken once its channel is subscribed again")
                    .until(() -> allGrew(wakes, before));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(queue::connected);

            List<Integer> resubscribed = wakes.stream().map(AtomicInteger::get).toList();
            for (Address to : addresses) {
                Enqueued result = Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .ignoreExceptions()
                        .until(
                                () -> queue.enqueue(new Enqueue(to, TestKeys.bytes("after")), QueueQuota.NONE)
                                        .toCompletableFuture()
                                        .get(10, TimeUnit.SECONDS),
                                r -> true);
                assertThat(result.outcome()).isEqualTo(Enqueued.Outcome.QUEUED);
            }
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .alias("every subscriber is woken by its new message")
                    .until(() -> allGrew(wakes, resubscribed));
            subscriptions.forEach(MessageQueue.Subscription::close);
        }
    }

    private static boolean allGrew(List<AtomicInteger> wakes, List<Integer> before) {
        for (int i = 0; i < wakes.size(); i++) {
            if (wakes.get(i).get() <= before.get(i)) {
                return false;
            }
        }
        return true;
    }
}
