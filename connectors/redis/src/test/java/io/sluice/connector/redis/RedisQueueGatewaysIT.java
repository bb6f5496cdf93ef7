package io.sluice.connector.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Address;
import io.sluice.spi.Enqueue;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.QueuedMessage;
import io.sluice.testing.redis.RedisServer;
import io.sluice.testkit.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Two gateways, each with its own queue instance, on one Redis server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisQueueGatewaysIT {
    private RedisServer server;
    private RedisMessageQueue gatewayA;
    private RedisMessageQueue gatewayB;

    @BeforeAll
    void start() {
        server = RedisServer.start();
        gatewayA = RedisMessageQueue.open(TestRedis.standalone(server.uri()));
        gatewayB = RedisMessageQueue.open(TestRedis.standalone(server.uri()));
    }

    @AfterAll
    void stop() {
        gatewayA.close();
        gatewayB.close();
        server.close();
    }

    @Test
    void aMessageQueuedThroughOneGatewayWakesTheSubscriberOnTheOtherWhichReadsIt() throws Exception {
        Address to = TestKeys.address(1);
        AtomicInteger wakes = new AtomicInteger();
        try (MessageQueue.Subscription online = gatewayB.subscribe(to, wakes::incrementAndGet)) {
            // The subscription's confirmation wakes once; wait for it so the next wake is the enqueue's.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> wakes.get() >= 1);
            int before = wakes.get();

            gatewayA.enqueue(new Enqueue(to, TestKeys.bytes("from A")), QueueQuota.NONE)
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> wakes.get() > before);
            assertThat(texts(gatewayB.read(to, 0, 10).toCompletableFuture().get(10, TimeUnit.SECONDS)))
                    .containsExactly("from A");
        }
    }

    @Test
    void idsGrowInAcceptanceOrderAcrossGateways() throws Exception {
        Address to = TestKeys.address(1);
        for (int i = 0; i < 20; i++) {
            RedisMessageQueue via = i % 2 == 0 ? gatewayA : gatewayB;
            via.enqueue(new Enqueue(to, TestKeys.bytes("m" + i)), QueueQuota.NONE)
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        }
        List<QueuedMessage> read =
                gatewayA.read(to, 0, 100).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(read).extracting(QueuedMessage::id).isSorted().doesNotHaveDuplicates();
        assertThat(texts(read))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20)
                        .mapToObj(i -> "m" + i)
                        .toList());
        assertThat(texts(gatewayB.read(to, 0, 100).toCompletableFuture().get(10, TimeUnit.SECONDS)))
                .as("both gateways see one queue")
                .isEqualTo(texts(read));
    }

    @Test
    void aSignalFromOneGatewayReachesTheSubscriberOnTheOther() throws Exception {
        Address to = TestKeys.address(1);
        AtomicInteger signals = new AtomicInteger();
        AtomicInteger subscribed = new AtomicInteger();
        try (MessageQueue.Subscription online = gatewayB.subscribe(to, new MessageQueue.Listener() {
            @Override
            public void wake() {
                subscribed.incrementAndGet();
            }

            @Override
            public void signalled(MessageQueue.Signal signal) {
                signals.incrementAndGet();
            }
        })) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> subscribed.get() >= 1);
            gatewayA.signal(to, MessageQueue.Signal.PREKEYS_CLAIMED)
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> signals.get() == 1);
        }
    }

    @Test
    void localSubscribersOfOneAddressShareOneRedisSubscription() throws Exception {
        Address to = TestKeys.address(1);
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        MessageQueue.Subscription one = gatewayB.subscribe(to, first::incrementAndGet);
        MessageQueue.Subscription two = gatewayB.subscribe(to, second::incrementAndGet);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> first.get() >= 1);
        assertThat(subscribedAtRedis(to)).isTrue();

        one.close();
        int secondBefore = second.get();
        gatewayA.enqueue(new Enqueue(to, TestKeys.bytes("x")), QueueQuota.NONE)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> second.get() > secondBefore);
        assertThat(subscribedAtRedis(to)).as("still subscribed for the second").isTrue();

        two.close();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !subscribedAtRedis(to));
    }

    /** Whether Redis has the Address's channel subscribed (PUBSUB CHANNELS with the name as its pattern). */
    private boolean subscribedAtRedis(Address to) {
        String channel = new String(QueueKeys.of(to).channel(), StandardCharsets.UTF_8);
        return !server.command("PUBSUB", "CHANNELS", channel).equals("*0");
    }

    private static List<String> texts(List<QueuedMessage> messages) {
        return messages.stream()
                .map(m -> new String(m.body(), StandardCharsets.UTF_8))
                .toList();
    }
}
