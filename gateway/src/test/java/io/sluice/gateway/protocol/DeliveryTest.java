package io.sluice.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.proto.Messages;
import io.sluice.spi.Address;
import io.sluice.spi.Enqueue;
import io.sluice.spi.Enqueued;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.QueueUsage;
import io.sluice.spi.QueuedMessage;
import io.sluice.testkit.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Delivery alone, on a queue whose reads the test completes: when it reads, and when it sends what it is handed. */
class DeliveryTest {
    private final Address address = TestKeys.address(1);
    private final RecordingTransport transport = new RecordingTransport();
    private final ScriptedQueue queue = new ScriptedQueue();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger sequence = new AtomicInteger();
    private final Delivery delivery = new Delivery(
            address,
            queue,
            new Outbox(transport, ConnectionObserver.NONE),
            sequence::incrementAndGet,
            Runnable::run,
            scheduler,
            3,
            "test",
            ConnectionObserver.NONE,
            () -> {});

    @AfterEach
    void stop() {
        delivery.stop();
        scheduler.shutdownNow();
    }

    private static QueuedMessage message(long id) {
        return new QueuedMessage(id, ("m" + id).getBytes(StandardCharsets.UTF_8));
    }

    private List<String> sent() {
        List<String> bodies = new ArrayList<>();
        for (Messages.Message m; (m = transport.sent.poll()) != null; ) {
            bodies.add(m.getInboundMessage().toStringUtf8());
        }
        return bodies;
    }

    @Test
    void onceCaughtUpItSendsWhatItIsHandedWithoutReadingItBack() {
        queue.stored.put(1L, message(1));
        delivery.start();
        queue.completeRead();
        assertThat(sent()).containsExactly("m1");
        assertThat(queue.reads).hasValue(1);

        queue.stored.put(2L, message(2));
        queue.listener.queued(message(2));
        assertThat(sent()).containsExactly("m2");
        assertThat(queue.reads).as("no read for a handed-over message").hasValue(1);
    }

    @Test
    void aMessageHandedOverDuringAReadIsSentOnceInOrder() {
        queue.stored.put(1L, message(1));
        delivery.start();
        // Queued and handed over while the first read is in flight; the read may or may not see it.
        queue.stored.put(2L, message(2));
        queue.listener.queued(message(2));
        queue.completeRead();
        assertThat(sent()).containsExactly("m1", "m2");
    }

    @Test
    void whenTheWindowIsFullHandedMessagesWaitForTheReadAfterAnAck() {
        delivery.start();
        queue.completeRead();
        for (long id = 1; id <= 4; id++) {
            queue.stored.put(id, message(id));
            queue.listener.queued(message(id));
        }
        assertThat(sent()).as("a window of 3").containsExactly("m1", "m2", "m3");

        delivery.acknowledge(1);
        queue.completeRead();
        assertThat(sent()).containsExactly("m4");
        assertThat(queue.acked).containsExactly(1L);
    }

    @Test
    void anAckWhileTheWindowHasRoomStartsNoDrain() {
        AtomicInteger drains = new AtomicInteger();
        Delivery counted = new Delivery(
                address,
                queue,
                new Outbox(transport, ConnectionObserver.NONE),
                sequence::incrementAndGet,
                task -> {
                    drains.incrementAndGet();
                    task.run();
                },
                scheduler,
                3,
                "test",
                ConnectionObserver.NONE,
                () -> {});
        counted.start();
        queue.completeRead();
        queue.stored.put(1L, message(1));
        queue.listener.queued(message(1));
        assertThat(sent()).containsExactly("m1");
        int before = drains.get();

        assertThat(counted.acknowledge(1)).isTrue();

        assertThat(drains)
                .as("no thread woken for an ack that frees no awaited room")
                .hasValue(before);
        assertThat(queue.acked).containsExactly(1L);
        counted.stop();
    }

    @Test
    void aWakeUpMakesItReadAgain() {
        delivery.start();
        queue.completeRead();
        queue.stored.put(7L, message(7));
        queue.listener.wake();
        queue.completeRead();
        assertThat(sent()).containsExactly("m7");
    }

    @Test
    void nothingIsSentAfterStop() throws InterruptedException {
        delivery.start();
        queue.completeRead();
        delivery.stop();
        queue.stored.put(1L, message(1));
        queue.listener.queued(message(1));
        queue.listener.wake();
        assertThat(transport.nextWithin(Duration.ofMillis(50))).isNull();
        assertThat(queue.subscribed).hasValue(0);
    }

    /** Reads answer from {@code stored}, when the test completes them. */
    private static final class ScriptedQueue implements MessageQueue {
        final TreeMap<Long, QueuedMessage> stored = new TreeMap<>();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger subscribed = new AtomicInteger();
        final List<Long> acked = new ArrayList<>();
        volatile Listener listener;
        private long pendingAfter;
        private int pendingMax;
        private CompletableFuture<List<QueuedMessage>> pending;

        void completeRead() {
            CompletableFuture<List<QueuedMessage>> read = pending;
            pending = null;
            read.complete(List.copyOf(stored.tailMap(pendingAfter, false).values().stream()
                    .limit(pendingMax)
                    .toList()));
        }

        @Override
        public CompletionStage<List<QueuedMessage>> read(Address recipient, long afterId, int max) {
            assertThat(pending).as("one read at a time").isNull();
            reads.incrementAndGet();
            pendingAfter = afterId;
            pendingMax = max;
            pending = new CompletableFuture<>();
            return pending;
        }

        @Override
        public CompletionStage<Void> acknowledge(Address recipient, long id) {
            acked.add(id);
            stored.remove(id);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public Subscription subscribe(Address recipient, Listener listener) {
            this.listener = listener;
            subscribed.incrementAndGet();
            return subscribed::decrementAndGet;
        }

        @Override
        public CompletionStage<List<Enqueued>> enqueue(List<Enqueue> messages, QueueQuota quota) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<QueueUsage> usage(Address recipient) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> signal(Address recipient, Signal signal) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {}
    }
}
