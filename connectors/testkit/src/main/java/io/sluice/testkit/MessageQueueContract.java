package io.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.spi.Address;
import io.sluice.spi.Enqueue;
import io.sluice.spi.Enqueued;
import io.sluice.spi.Enqueued.Outcome;
import io.sluice.spi.ErrorName;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.QueueUsage;
import io.sluice.spi.QueuedMessage;
import io.sluice.spi.SluiceException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link MessageQueue}: order (across pipelined calls too), batches, acknowledgement, idempotent
 * redelivery, quotas checked atomically, usage counters, wake-ups and signals, and outages. A connector proves its
 * queue by extending this class. Each test uses fresh Addresses.
 */
public abstract class MessageQueueContract {

    /** The queue under test, ready to use. */
    protected abstract MessageQueue queue();

    /** Takes the queue's backend down and back, for the outage tests. */
    protected abstract BackendControl backend();

    /** How long a call may take before the suite gives up on it; longer for remote backends under failover. */
    protected Duration callTimeout() {
        return Duration.ofSeconds(10);
    }

    /** Waits for a stage, unwrapping its failure. */
    protected <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(callTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new AssertionError("the queue did not answer within " + callTimeout(), e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<QueuedMessage> messages) {
        return messages.stream()
                .map(m -> new String(m.body(), StandardCharsets.UTF_8))
                .toList();
    }

    /** Queues one message without a quota; returns what became of it. */
    protected Enqueued put(Address to, String text, String dedupId) {
        return join(queue().enqueue(new Enqueue(to, bytes(text), dedupId), QueueQuota.NONE));
    }

    protected List<QueuedMessage> read(Address to, long afterId, int max) {
        return join(queue().read(to, afterId, max));
    }

    protected void ack(Address to, long id) {
        join(queue().acknowledge(to, id));
    }

    protected QueueUsage usage(Address to) {
        return join(queue().usage(to));
    }

    @Test
    void readsInTheOrderAccepted() {
        Address to = TestKeys.address(1);
        for (int i = 0; i < 100; i++) {
            assertThat(put(to, "m" + i, null).outcome()).isEqualTo(Outcome.QUEUED);
        }
        List<QueuedMessage> all = read(to, 0, 1000);
        assertThat(texts(all))
                .containsExactlyElementsOf(
                        IntStream.range(0, 100).mapToObj(i -> "m" + i).toList());
        assertThat(all).extracting(QueuedMessage::id).isSorted().doesNotHaveDuplicates();
        assertThat(usage(to).messages()).isEqualTo(100);
    }

    @Test
    void pipelinedCallsAreAcceptedInTheOrderMade() {
        Address to = TestKeys.address(1);
        List<CompletableFuture<Enqueued>> calls = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            calls.add(queue().enqueue(new Enqueue(to, bytes("p" + i)), QueueQuota.NONE)
                    .toCompletableFuture());
        }
        List<Long> ids = calls.stream().map(c -> join(c).id()).toList();
        assertThat(ids).as("ids grow in call order").isSorted().doesNotHaveDuplicates();
        assertThat(texts(read(to, 0, 1000)))
                .containsExactlyElementsOf(
                        IntStream.range(0, 500).mapToObj(i -> "p" + i).toList());
    }

    @Test
    void aBatchIsQueuedInListOrderWithOneResultPerMessage() {
        Address a = TestKeys.address(1);
        Address b = TestKeys.address(2);
        List<Enqueue> batch = List.of(
                new Enqueue(a, bytes("a1"), "batch-" + a + "-1"),
                new Enqueue(b, bytes("b1")),
                new Enqueue(a, bytes("a2")),
                new Enqueue(a, bytes("a1 again"), "batch-" + a + "-1"));
        List<Enqueued> results = join(queue().enqueue(batch, QueueQuota.NONE));
        assertThat(results)
                .extracting(Enqueued::outcome)
                .containsExactly(Outcome.QUEUED, Outcome.QUEUED, Outcome.QUEUED, Outcome.DUPLICATE);
        assertThat(results.get(2).id()).isGreaterThan(results.get(0).id());
        assertThat(results.get(2).usage()).isEqualTo(new QueueUsage(2, 4));
        assertThat(texts(read(a, 0, 10))).containsExactly("a1", "a2");
        assertThat(texts(read(b, 0, 10))).containsExactly("b1");
    }

    @Test
    void readsAfterAnIdAndUpToMax() {
        Address to = TestKeys.address(1);
        for (int i = 0; i < 10; i++) {
            put(to, "m" + i, null);
        }
        List<QueuedMessage> first = read(to, 0, 4);
        assertThat(texts(first)).containsExactly("m0", "m1", "m2", "m3");
        assertThat(texts(read(to, first.get(3).id(), 100))).hasSize(6).first().isEqualTo("m4");
    }

    @Test
    void queuesAreSeparatePerDevice() {
        Address a = TestKeys.address(1);
        Address b = new Address(a.userId(), 2);
        put(a, "for-a", null);
        put(b, "for-b", null);
        assertThat(texts(read(a, 0, 10))).containsExactly("for-a");
        assertThat(texts(read(b, 0, 10))).containsExactly("for-b");
    }

    @Test
    void acknowledgedMessagesAreNotReadAgain() {
        Address to = TestKeys.address(1);
        put(to, "one", null);
        put(to, "two", null);
        QueuedMessage first = read(to, 0, 10).get(0);

        ack(to, first.id());
        ack(to, first.id());

        assertThat(texts(read(to, 0, 10))).containsExactly("two");
        assertThat(usage(to).messages()).isEqualTo(1);
    }

    @Test
    void duplicateIdIsDroppedEvenAfterAck() {
        Address to = TestKeys.address(1);
        String id = "topic-0-" + to;
        assertThat(put(to, "once", id).outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(put(to, "once", id).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(read(to, 0, 10)).hasSize(1);

        ack(to, read(to, 0, 10).get(0).id());
        assertThat(put(to, "once", id).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(read(to, 0, 10)).isEmpty();
        assertThat(put(to, "other", id + "-2").outcome()).isEqualTo(Outcome.QUEUED);
    }

    @Test
    void positionedIdsAreDroppedAtOrBelowTheHighestQueuedFromTheirStream() {
        Address to = TestKeys.address(1);
        String stream = "topic-" + TestKeys.userId();
        assertThat(put(to, "p5", stream + "-0@5").outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(put(to, "p6", stream + "-0@6").outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(put(to, "p5 again", stream + "-0@5").outcome())
                .as("read again after a crash")
                .isEqualTo(Outcome.DUPLICATE);
        assertThat(put(to, "p6 again", stream + "-0@6").outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(put(to, "other partition", stream + "-1@5").outcome()).isEqualTo(Outcome.QUEUED);
        read(to, 0, 10).forEach(m -> ack(to, m.id()));
        assertThat(put(to, "p6 after ack", stream + "-0@6").outcome())
                .as("even after the ack")
                .isEqualTo(Outcome.DUPLICATE);
        assertThat(put(to, "p7", stream + "-0@7").outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(texts(read(to, 0, 10))).containsExactly("p7");
    }

    @Test
    void positionedIdsOfOneStreamInOneBatchAreEachCheckedAgainstTheOnesBefore() {
        Address to = TestKeys.address(1);
        String stream = "topic-" + TestKeys.userId() + "-0@";
        List<Enqueued> results = join(queue().enqueue(
                        List.of(
                                new Enqueue(to, bytes("1"), stream + 1),
                                new Enqueue(to, bytes("2"), stream + 2),
                                new Enqueue(to, bytes("2 again"), stream + 2),
                                new Enqueue(to, bytes("3"), stream + 3)),
                        QueueQuota.NONE));
        assertThat(results)
                .extracting(Enqueued::outcome)
                .containsExactly(Outcome.QUEUED, Outcome.QUEUED, Outcome.DUPLICATE, Outcome.QUEUED);
        assertThat(texts(read(to, 0, 10))).containsExactly("1", "2", "3");
    }

    @Test
    void quotaRefusesMessagesOverTheCountAndTheBytes() {
        Address to = TestKeys.address(1);
        QueueQuota quota = new QueueQuota(2, 10);
        assertThat(join(queue().enqueue(new Enqueue(to, bytes("1234")), quota)).outcome())
                .isEqualTo(Outcome.QUEUED);
        assertThat(join(queue().enqueue(new Enqueue(to, bytes("1234567")), quota)))
                .as("4 + 7 bytes is over 10")
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(Outcome.REFUSED_BYTES_QUOTA))
                .satisfies(e -> assertThat(e.usage()).isEqualTo(new QueueUsage(1, 4)));
        assertThat(join(queue().enqueue(new Enqueue(to, bytes("123456")), quota))
                        .outcome())
                .as("4 + 6 bytes is exactly 10")
                .isEqualTo(Outcome.QUEUED);
        assertThat(join(queue().enqueue(new Enqueue(to, bytes("1")), quota)).outcome())
                .isEqualTo(Outcome.REFUSED_MESSAGES_QUOTA);
        assertThat(texts(read(to, 0, 10))).containsExactly("1234", "123456");

        ack(to, read(to, 0, 1).get(0).id());
        assertThat(join(queue().enqueue(new Enqueue(to, bytes("1")), quota)).outcome())
                .as("room again after an ack")
                .isEqualTo(Outcome.QUEUED);
    }

    @Test
    void aRefusedPositionedIdHoldsBackTheLaterMessagesOfItsStreamInTheCallForOtherRecipients() {
        Address a = TestKeys.address(1);
        Address b = TestKeys.address(1);
        String stream = "topic-" + TestKeys.userId() + "-0@";
        QueueQuota quota = new QueueQuota(1, 0);
        Enqueued waiting = join(queue().enqueue(new Enqueue(a, bytes("waiting")), quota));
        assertThat(waiting.outcome()).isEqualTo(Outcome.QUEUED);
        List<Enqueue> call = List.of(new Enqueue(a, bytes("s1"), stream + 1), new Enqueue(b, bytes("s2"), stream + 2));

        List<Enqueued> first = join(queue().enqueue(call, quota));
        assertThat(first.get(0).outcome()).as("a is full").isEqualTo(Outcome.REFUSED_MESSAGES_QUOTA);
        assertThat(first.get(1).outcome())
                .as("b's message may be held back with a's, or queued where positions are kept per recipient")
                .isIn(Outcome.QUEUED, Outcome.REFUSED_MESSAGES_QUOTA);

        ack(a, waiting.id());
        List<Enqueued> second = join(queue().enqueue(call, quota));
        assertThat(second.get(0).outcome())
                .as("the refused message, sent again, is queued, not dropped as a duplicate")
                .isEqualTo(Outcome.QUEUED);
        assertThat(second.get(1).outcome()).isEqualTo(first.get(1).accepted() ? Outcome.DUPLICATE : Outcome.QUEUED);
        assertThat(texts(read(a, 0, 10))).containsExactly("s1");
        assertThat(texts(read(b, 0, 10))).containsExactly("s2");
    }

    @Test
    void aRefusedPositionedIdHoldsBackTheLaterMessagesOfItsStreamInTheCallThatWouldFit() {
        Address to = TestKeys.address(1);
        String stream = "topic-" + TestKeys.userId() + "-0@";
        QueueQuota quota = new QueueQuota(0, 100);
        Enqueued waiting = join(queue().enqueue(new Enqueue(to, new byte[60]), quota));
        assertThat(waiting.outcome()).isEqualTo(Outcome.QUEUED);
        String t1 = "t1".repeat(25);
        String t2 = "t2".repeat(15);
        List<Enqueue> call = List.of(new Enqueue(to, bytes(t1), stream + 1), new Enqueue(to, bytes(t2), stream + 2));

        assertThat(join(queue().enqueue(call, quota)))
                .as("60 + 50 bytes is over 100; 60 + 30 would fit, but its stream's earlier message was refused")
                .extracting(Enqueued::outcome)
                .containsExactly(Outcome.REFUSED_BYTES_QUOTA, Outcome.REFUSED_BYTES_QUOTA);

        ack(to, waiting.id());
        assertThat(join(queue().enqueue(call, quota)))
                .as("both, sent again, are queued")
                .extracting(Enqueued::outcome)
                .containsExactly(Outcome.QUEUED, Outcome.QUEUED);
        assertThat(texts(read(to, 0, 10))).containsExactly(t1, t2);
    }

    @Test
    void quotaHoldsExactlyUnderConcurrentSenders() throws Exception {
        Address to = TestKeys.address(1);
        QueueQuota quota = new QueueQuota(25, 0);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            senders.add(Thread.ofPlatform().start(() -> {
                List<CompletableFuture<Enqueued>> mine = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    mine.add(queue().enqueue(new Enqueue(to, bytes("x")), quota).toCompletableFuture());
                }
                mine.forEach(f -> outcomes.add(join(f).outcome()));
            }));
        }
        for (Thread sender : senders) {
            sender.join();
        }
        assertThat(outcomes.stream().filter(o -> o == Outcome.QUEUED)).hasSize(25);
        assertThat(outcomes.stream().filter(o -> o == Outcome.REFUSED_MESSAGES_QUOTA))
                .hasSize(135);
        assertThat(read(to, 0, 1000)).hasSize(25);
        assertThat(usage(to)).isEqualTo(new QueueUsage(25, 25));
    }

    @Test
    void subscribersAreToldOfEachEnqueueUntilClosed() throws Exception {
        Address to = TestKeys.address(1);
        AtomicInteger told = new AtomicInteger();
        CountDownLatch woken = new CountDownLatch(1);
        MessageQueue.Subscription subscription = queue().subscribe(to, () -> {
            told.incrementAndGet();
            woken.countDown();
        });
        put(new Address(to.userId(), 99), "not for us", null);
        put(to, "hello", null);
        assertThat(woken.await(10, TimeUnit.SECONDS)).isTrue();

        subscription.close();
        int before = told.get();
        put(to, "after close", null);
        // A wake-up already in flight may land; none is triggered by this enqueue once delivery settled.
        Awaitility.await()
                .during(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(told.get()).isLessThanOrEqualTo(before));
    }

    @Test
    void messagesHandedToSubscribersComeInIdOrderAndMatchTheQueue() {
        Address to = TestKeys.address(1);
        List<QueuedMessage> handed = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger wakes = new AtomicInteger();
        MessageQueue.Subscription subscription = queue().subscribe(to, new MessageQueue.Listener() {
            @Override
            public void wake() {
                wakes.incrementAndGet();
            }

            @Override
            public void queued(QueuedMessage message) {
                handed.add(message);
            }
        });
        try {
            List<CompletableFuture<Enqueued>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(queue().enqueue(new Enqueue(to, bytes("h" + i)), QueueQuota.NONE)
                        .toCompletableFuture());
            }
            calls.forEach(this::join);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> handed.size() == 50 || wakes.get() > 0);
            if (wakes.get() == 0) {
                // A queue that hands messages over promises their order and content.
                assertThat(handed).extracting(QueuedMessage::id).isSorted().doesNotHaveDuplicates();
                assertThat(texts(handed)).containsExactlyElementsOf(texts(read(to, 0, 100)));
            }
        } finally {
            subscription.close();
        }
    }

    @Test
    void signalsReachTheSubscribersOfTheirAddress() throws Exception {
        Address to = TestKeys.address(1);
        CountDownLatch signalled = new CountDownLatch(1);
        AtomicInteger others = new AtomicInteger();
        MessageQueue.Subscription mine = queue().subscribe(to, new MessageQueue.Listener() {
            @Override
            public void wake() {}

            @Override
            public void signalled(MessageQueue.Signal signal) {
                if (signal == MessageQueue.Signal.PREKEYS_CLAIMED) {
                    signalled.countDown();
                }
            }
        });
        MessageQueue.Subscription other = queue().subscribe(new Address(to.userId(), 2), new MessageQueue.Listener() {
            @Override
            public void wake() {}

            @Override
            public void signalled(MessageQueue.Signal signal) {
                others.incrementAndGet();
            }
        });
        try {
            // Signals are best effort: a queue whose subscriptions take effect asynchronously (Redis pub/sub) drops
            // those sent before. So the signal is sent again until it arrives, as a claim after the next would.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean arrived = false;
            while (!arrived && System.nanoTime() < deadline) {
                join(queue().signal(to, MessageQueue.Signal.PREKEYS_CLAIMED));
                arrived = signalled.await(200, TimeUnit.MILLISECONDS);
            }
            assertThat(arrived).as("a signal reached the Address's subscriber").isTrue();
            assertThat(others).as("signals of another Address").hasValue(0);
        } finally {
            mine.close();
            other.close();
        }
    }

    @Test
    void concurrentEnqueuesKeepEveryMessageOnce() throws Exception {
        Address to = TestKeys.address(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 100; i++) {
                    put(to, thread + "-" + i, null);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        List<String> all = texts(read(to, 0, 10_000));
        assertThat(all).hasSize(800).doesNotHaveDuplicates();
        for (int t = 0; t < 8; t++) {
            String prefix = t + "-";
            assertThat(all.stream().filter(s -> s.startsWith(prefix)).toList())
                    .as("one sender's messages stay in its order")
                    .containsExactlyElementsOf(
                            IntStream.range(0, 100).mapToObj(i -> prefix + i).toList());
        }
    }

    @Test
    void usageCountsWaitingMessagesAndBytesUntilAcknowledged() {
        Address to = TestKeys.address(1);
        assertThat(usage(to)).isEqualTo(QueueUsage.EMPTY);
        put(to, "12345", "u-" + to);
        put(to, "12345", "u-" + to);
        assertThat(put(to, "123", null).usage()).isEqualTo(new QueueUsage(2, 8));
        assertThat(usage(to)).as("the duplicate is not counted").isEqualTo(new QueueUsage(2, 8));

        long first = read(to, 0, 1).get(0).id();
        ack(to, first);
        ack(to, first);
        assertThat(usage(to)).as("acknowledged twice, counted once").isEqualTo(new QueueUsage(1, 3));
        put(to, "1", null);
        assertThat(usage(to)).isEqualTo(new QueueUsage(2, 4));
        assertThat(usage(new Address(to.userId(), 2))).isEqualTo(QueueUsage.EMPTY);
    }

    @Test
    void queuedAtIsWhenTheMessageWasAcceptedWhenTheQueueKnowsIt() {
        Address to = TestKeys.address(1);
        Instant before = Instant.now().minusSeconds(1);
        put(to, "timed", null);
        Instant queuedAt = read(to, 0, 1).get(0).queuedAt();
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
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> queue().checkAvailable());
    }

    @Test
    void outageAnswersUnavailableAndQueueRecovers() throws Exception {
        Address to = TestKeys.address(1);
        put(to, "before", null);
        backend().takeDown();
        try {
            assertThatThrownBy(() -> put(to, "during", null))
                    .isInstanceOfSatisfying(
                            SluiceException.class,
                            e -> assertThat(e.errorName()).isEqualTo(ErrorName.UNAVAILABLE));
        } finally {
            backend().bringBack();
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .untilAsserted(
                        () -> assertThat(put(to, "after", null).outcome()).isEqualTo(Outcome.QUEUED));
        assertThat(texts(read(to, 0, 10))).containsExactly("before", "after");
    }
}
