package io.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.spi.Address;
import io.sluice.spi.ErrorName;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.QueueUsage;
import io.sluice.spi.QueuedMessage;
import io.sluice.spi.SluiceException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link MessageQueue}: order, acknowledgement, idempotent redelivery, wake-ups and outages.
 * A connector proves its queue by extending this class. Each test uses fresh Addresses.
 */
public abstract class MessageQueueContract {

    /** The queue under test, ready to use. */
    protected abstract MessageQueue queue();

    /** Takes the queue's backend down and back, for the outage test. */
    protected abstract BackendControl backend();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<QueuedMessage> messages) {
        return messages.stream()
                .map(m -> new String(m.body(), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void readsInTheOrderAccepted() {
        Address to = TestKeys.address(1);
        for (int i = 0; i < 100; i++) {
            assertThat(queue().enqueue(to, bytes("m" + i), null)).isTrue();
        }
        List<QueuedMessage> all = queue().read(to, 0, 1000);
        assertThat(texts(all))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100)
                        .mapToObj(i -> "m" + i)
                        .toList());
        assertThat(all).extracting(QueuedMessage::id).isSorted().doesNotHaveDuplicates();
        assertThat(queue().depth(to)).isEqualTo(100);
    }

    @Test
    void readsAfterAnIdAndUpToMax() {
        Address to = TestKeys.address(1);
        for (int i = 0; i < 10; i++) {
            queue().enqueue(to, bytes("m" + i), null);
        }
        List<QueuedMessage> first = queue().read(to, 0, 4);
        assertThat(texts(first)).containsExactly("m0", "m1", "m2", "m3");
        assertThat(texts(queue().read(to, first.get(3).id(), 100)))
                .hasSize(6)
                .first()
                .isEqualTo("m4");
    }

    @Test
    void queuesAreSeparatePerDevice() {
        Address a = TestKeys.address(1);
        Address b = new Address(a.userId(), 2);
        queue().enqueue(a, bytes("for-a"), null);
        queue().enqueue(b, bytes("for-b"), null);
        assertThat(texts(queue().read(a, 0, 10))).containsExactly("for-a");
        assertThat(texts(queue().read(b, 0, 10))).containsExactly("for-b");
    }

    @Test
    void acknowledgedMessagesAreNotReadAgain() {
        Address to = TestKeys.address(1);
        queue().enqueue(to, bytes("one"), null);
        queue().enqueue(to, bytes("two"), null);
        QueuedMessage first = queue().read(to, 0, 10).get(0);

        queue().acknowledge(to, first.id());
        queue().acknowledge(to, first.id());

        assertThat(texts(queue().read(to, 0, 10))).containsExactly("two");
        assertThat(queue().depth(to)).isEqualTo(1);
    }

    @Test
    void duplicateIdIsDroppedEvenAfterAck() {
        Address to = TestKeys.address(1);
        assertThat(queue().enqueue(to, bytes("once"), "topic-0-42")).isTrue();
        assertThat(queue().enqueue(to, bytes("once"), "topic-0-42")).isFalse();
        assertThat(queue().read(to, 0, 10)).hasSize(1);

        queue().acknowledge(to, queue().read(to, 0, 10).get(0).id());
        assertThat(queue().enqueue(to, bytes("once"), "topic-0-42")).isFalse();
        assertThat(queue().read(to, 0, 10)).isEmpty();
        assertThat(queue().enqueue(to, bytes("other"), "topic-0-43")).isTrue();
    }

    @Test
    void positionedIdsAreDroppedAtOrBelowTheHighestQueuedFromTheirStream() {
        Address to = TestKeys.address(1);
        String stream = "topic-" + TestKeys.userId();
        assertThat(queue().enqueue(to, bytes("p5"), stream + "-0@5")).isTrue();
        assertThat(queue().enqueue(to, bytes("p6"), stream + "-0@6")).isTrue();
        assertThat(queue().enqueue(to, bytes("p5 again"), stream + "-0@5"))
                .as("read again after a crash")
                .isFalse();
        assertThat(queue().enqueue(to, bytes("p6 again"), stream + "-0@6")).isFalse();
        assertThat(queue().enqueue(to, bytes("other partition"), stream + "-1@5"))
                .isTrue();
        queue().read(to, 0, 10).forEach(m -> queue().acknowledge(to, m.id()));
        assertThat(queue().enqueue(to, bytes("p6 after ack"), stream + "-0@6"))
                .as("even after the ack")
                .isFalse();
        assertThat(queue().enqueue(to, bytes("p7"), stream + "-0@7")).isTrue();
        assertThat(texts(queue().read(to, 0, 10))).containsExactly("p7");
    }

    @Test
    void subscribersAreWokenOnEnqueueUntilClosed() throws Exception {
        Address to = TestKeys.address(1);
        AtomicInteger wakeups = new AtomicInteger();
        CountDownLatch woken = new CountDownLatch(1);
        MessageQueue.Subscription subscription = queue().subscribe(to, () -> {
            wakeups.incrementAndGet();
            woken.countDown();
        });
        queue().enqueue(new Address(to.userId(), 99), bytes("not for us"), null);
        queue().enqueue(to, bytes("hello"), null);
        assertThat(woken.await(10, TimeUnit.SECONDS)).isTrue();

        subscription.close();
        int before = wakeups.get();
        queue().enqueue(to, bytes("after close"), null);
        // A wake-up already in flight may land; none is triggered by this enqueue once delivery settled.
        Awaitility.await()
                .during(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(wakeups.get()).isLessThanOrEqualTo(before));
    }

    @Test
    void concurrentEnqueuesKeepEveryMessageOnce() throws Exception {
        Address to = TestKeys.address(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 100; i++) {
                    queue().enqueue(to, bytes(thread + "-" + i), null);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        List<String> all = texts(queue().read(to, 0, 10_000));
        assertThat(all).hasSize(800).doesNotHaveDuplicates();
        for (int t = 0; t < 8; t++) {
            String prefix = t + "-";
            assertThat(all.stream().filter(s -> s.startsWith(prefix)).toList())
                    .as("one sender's messages stay in its order")
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100)
                            .mapToObj(i -> prefix + i)
                            .toList());
        }
    }

    @Test
    void usageCountsWaitingMessagesAndBytesUntilAcknowledged() {
        Address to = TestKeys.address(1);
        assertThat(queue().usage(to)).isEqualTo(QueueUsage.EMPTY);
        queue().enqueue(to, bytes("12345"), "u-1");
        queue().enqueue(to, bytes("12345"), "u-1");
        queue().enqueue(to, bytes("123"), null);
        assertThat(queue().usage(to)).as("the duplicate is not counted").isEqualTo(new QueueUsage(2, 8));
        assertThat(queue().depth(to)).isEqualTo(2);

        long first = queue().read(to, 0, 1).get(0).id();
        queue().acknowledge(to, first);
        queue().acknowledge(to, first);
        assertThat(queue().usage(to)).as("acknowledged twice, counted once").isEqualTo(new QueueUsage(1, 3));
        queue().enqueue(to, bytes("1"), null);
        assertThat(queue().usage(to)).isEqualTo(new QueueUsage(2, 4));
        assertThat(queue().usage(new Address(to.userId(), 2))).isEqualTo(QueueUsage.EMPTY);
    }

    @Test
    void queuedAtIsWhenTheMessageWasAcceptedWhenTheQueueKnowsIt() {
        Address to = TestKeys.address(1);
        Instant before = Instant.now().minusSeconds(1);
        queue().enqueue(to, bytes("timed"), null);
        Instant queuedAt = queue().read(to, 0, 1).get(0).queuedAt();
        if (queuedAt != null) {
            assertThat(queuedAt).isBetween(before, Instant.now().plusSeconds(1));
        }
    }

    @Test
    void availableWhileUpAndUnavailableDuringAnOutage() throws Exception {
        queue().checkAvailable();
        backend().takeDown();
        try {
            assertThatThrownBy(() -> queue().checkAvailable())
                    .isInstanceOfSatisfying(
                            SluiceException.class,
                            e -> assertThat(e.errorName()).isEqualTo(ErrorName.UNAVAILABLE));
        } finally {
            backend().bringBack();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> queue().checkAvailable());
    }

    @Test
    void outageAnswersUnavailableAndQueueRecovers() throws Exception {
        Address to = TestKeys.address(1);
        queue().enqueue(to, bytes("before"), null);
        backend().takeDown();
        try {
            assertThatThrownBy(() -> queue().enqueue(to, bytes("during"), null))
                    .isInstanceOfSatisfying(
                            SluiceException.class,
                            e -> assertThat(e.errorName()).isEqualTo(ErrorName.UNAVAILABLE));
        } finally {
            backend().bringBack();
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(queue().enqueue(to, bytes("after"), null)).isTrue());
        assertThat(texts(queue().read(to, 0, 10))).containsExactly("before", "after");
    }
}
