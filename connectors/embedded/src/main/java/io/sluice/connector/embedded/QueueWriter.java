package io.sluice.connector.embedded;

import io.sluice.spi.Address;
import io.sluice.spi.Enqueue;
import io.sluice.spi.Enqueued;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.QueueUsage;
import io.sluice.spi.QueuedMessage;
import io.sluice.spi.SluiceException;
import io.sluice.spi.StreamPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The one writer of an {@link EmbeddedMessageQueue}: it takes every enqueue and acknowledge pending at a moment
 * into one RocksDB write batch (group commit), so a burst of requests costs one write-ahead-log append, and acks
 * need no lock. Everything it keeps (the last id, the counters cache) is touched by its thread alone.
 *
 * <p>A group is written in full or not at all: when the write fails, every operation of the group fails with
 * {@code unavailable} and the writer forgets what it assumed about the group, so the next one starts from what is
 * on disk.
 *
 * <p>A caller that finds nothing pending writes its own operation at once, on its thread, and completes it there:
 * a lone request (a Kafka consumer's record after record) pays no hand-over between threads. What arrives
 * meanwhile goes to the writer's thread, whose groups complete (answering the senders, handing the messages to
 * their recipients' connections) on a second thread, the completer, group after group in write order, while the
 * writer already writes the next group. On the writer's thread, that work had serialized the path behind one
 * core.
 */
final class QueueWriter implements AutoCloseable {
    /** Most operations in one group: bounds a batch's memory and the wait of its first operation. */
    private static final int MAX_GROUP = 1024;
    /** Devices whose counters are cached; the rest are read from the usage family when next needed. */
    private static final int USAGE_CACHE = 65_536;

    /** Told of each message made durable, in id order, on the thread that completes its group. */
    @FunctionalInterface
    interface Notifier {
        void queued(Address recipient, QueuedMessage message);
    }

    private final RocksStore store;
    private final Clock clock;
    private final Notifier notifier;
    private final ExecutorService thread;
    private final ExecutorService completer;
    /** Held while a group is written, by the one drainer of the moment; close() takes it to wait for a caller's. */
    private final java.util.concurrent.locks.ReentrantLock drainLock = new java.util.concurrent.locks.ReentrantLock();
    /** Groups handed to the completer and not yet completed. */
    private final AtomicInteger completing = new AtomicInteger();

    private final Queue<Op> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final Map<Address, long[]> usage = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Address, long[]> eldest) {
            return size() > USAGE_CACHE;
        }
    };
    private volatile boolean closed;
    private long lastId;
    private boolean lastIdKnown;

    QueueWriter(RocksStore store, Clock clock, Notifier notifier) {
        this.store = store;
        this.clock = clock;
        this.notifier = notifier;
        this.thread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("sluice-queue-writer").daemon().factory());
        this.completer = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("sluice-queue-completer").daemon().factory());
    }

    CompletionStage<List<Enqueued>> enqueue(List<Enqueue> messages, QueueQuota quota) {
        EnqueueOp op = new EnqueueOp(messages, quota, new CompletableFuture<>());
        submit(op);
        return op.done;
    }

    CompletionStage<Void> acknowledge(Address recipient, long id) {
        AckOp op = new AckOp(recipient, id, new CompletableFuture<>());
        submit(op);
        return op.done;
    }

    /**
     * Queues the operation. The caller that finds nothing pending writes the first group itself, which spares a
     * lone request (a Kafka consumer's record after record) the hand-over to the writer's thread; whatever is
     * pending after that group goes to the writer's thread, so no caller is kept writing a burst.
     */
    private void submit(Op op) {
        pending.add(op);
        if (pendingCount.getAndIncrement() == 0) {
            if (closed) {
                failPending();
                return;
            }
            int taken = writeGroup(true);
            if (pendingCount.addAndGet(-taken) != 0) {
                handOver();
            }
        } else if (closed) {
            failPending();
        }
    }

    private void handOver() {
        try {
            thread.execute(this::drain);
        } catch (RejectedExecutionException e) {
            failPending();
        }
    }

    private void drain() {
        while (pendingCount.addAndGet(-writeGroup(false)) != 0) {
            // more arrived meanwhile: write the next group
        }
    }

    /**
     * Takes up to a group of what is pending and writes it; returns how many operations it took.
     *
     * @param caller whether a caller writes it (a lone request) rather than the writer's thread (a burst)
     */
    private int writeGroup(boolean caller) {
        List<Op> group = new ArrayList<>(Math.min(MAX_GROUP, Math.max(1, pendingCount.get())));
        Op op;
        while (group.size() < MAX_GROUP && (op = pending.poll()) != null) {
            group.add(op);
        }
        drainLock.lock();
        try {
            write(group, caller);
        } finally {
            drainLock.unlock();
        }
        return group.size();
    }

    private void write(List<Op> group, boolean caller) {
        List<Runnable> completions = new ArrayList<>(group.size());
        List<Delivered> delivered = new ArrayList<>();
        try {
            store.with((db, options, cf) -> {
                writeGroup(db, options, cf, group, completions, delivered);
                return null;
            });
        } catch (RuntimeException e) {
            // Nothing of the group is on disk: forget what was assumed about it.
            lastIdKnown = false;
            usage.clear();
            SluiceException failure = e instanceof SluiceException s
                    ? s
                    : SluiceException.unavailable("the embedded queue failed: " + e, e);
            List<Op> failed = List.copyOf(group);
            complete(() -> failed.forEach(op -> op.fail(failure)), caller);
            return;
        }
        complete(
                () -> {
                    for (Runnable completion : completions) {
                        completion.run();
                    }
                    for (Delivered d : delivered) {
                        notifier.queued(d.recipient, d.message);
                    }
                },
                caller);
    }

    /**
     * Runs what follows a group's write after the groups before it. A caller's lone group completes here when the
     * completer has nothing left (the drainer writes the next group only after this returns, so order holds); the
     * writer's groups complete on the completer, so a burst's answers and hand-overs run beside the writer
     * instead of after it.
     */
    private void complete(Runnable work, boolean caller) {
        if (caller && completing.get() == 0) {
            work.run();
            return;
        }
        runOnCompleter(work);
    }

    private void runOnCompleter(Runnable work) {
        completing.incrementAndGet();
        try {
            completer.execute(() -> {
                try {
                    work.run();
                } finally {
                    completing.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            completing.decrementAndGet();
            work.run(); // closing: finish here rather than leave callers waiting
        }
    }

    private void writeGroup(
            RocksDB db,
            WriteOptions options,
            List<ColumnFamilyHandle> cf,
            List<Op> group,
            List<Runnable> completions,
            List<Delivered> delivered)
            throws RocksDBException {
        if (!lastIdKnown) {
            byte[] value = db.get(cf.get(EmbeddedMessageQueue.META), EmbeddedMessageQueue.LAST_ID);
            lastId = value == null ? 0L : ByteBuffer.wrap(value).getLong();
            lastIdKnown = true;
        }
        long now = clock.millis();
        byte[] nowBytes = longBytes(now);
        Instant queuedAt = Instant.ofEpochMilli(now);
        Set<String> dedupInGroup = new HashSet<>();
        Map<String, Long> streamsInGroup = new HashMap<>();
        Set<Address> changed = new HashSet<>();
        Set<Long> ackedInGroup = new HashSet<>();
        long firstId = lastId;
        try (WriteBatch batch = new WriteBatch()) {
            for (Op op : group) {
                switch (op) {
                    case EnqueueOp enqueue -> {
                        List<Enqueued> results = new ArrayList<>(enqueue.messages.size());
                        // Per call, not per group: the streams this call had a message refused of.
                        Map<String, Enqueued.Outcome> held = new HashMap<>();
                        for (Enqueue message : enqueue.messages) {
                            results.add(append(
                                    db,
                                    cf,
                                    batch,
                                    message,
                                    enqueue.quota,
                                    nowBytes,
                                    dedupInGroup,
                                    streamsInGroup,
                                    held,
                                    changed));
                            if (results.getLast().outcome() == Enqueued.Outcome.QUEUED) {
                                delivered.add(new Delivered(
                                        message.recipient(),
                                        new QueuedMessage(results.getLast().id(), message.body(), queuedAt)));
                            }
                        }
                        completions.add(() -> enqueue.done.complete(results));
                    }
                    case AckOp ack -> {
                        remove(db, cf, batch, ack, ackedInGroup, changed);
                        completions.add(() -> ack.done.complete(null));
                    }
                }
            }
            if (lastId != firstId) {
                batch.put(cf.get(EmbeddedMessageQueue.META), EmbeddedMessageQueue.LAST_ID, longBytes(lastId));
            }
            for (Address device : changed) {
                long[] counters = usage.get(device);
                byte[] key = Keys.device(device);
                if (counters == null || counters[0] <= 0) {
                    batch.delete(cf.get(EmbeddedMessageQueue.USAGE), key);
                } else {
                    batch.put(
                            cf.get(EmbeddedMessageQueue.USAGE),
                            key,
                            EmbeddedMessageQueue.Counters.encode(counters[0], counters[1]));
                }
            }
            db.write(options, batch);
        }
    }

    private Enqueued append(
            RocksDB db,
            List<ColumnFamilyHandle> cf,
            WriteBatch batch,
            Enqueue message,
            QueueQuota quota,
            byte[] nowBytes,
            Set<String> dedupInGroup,
            Map<String, Long> streamsInGroup,
            Map<String, Enqueued.Outcome> held,
            Set<Address> changed)
            throws RocksDBException {
        Address recipient = message.recipient();
        long[] counters = counters(db, cf, recipient);
        StreamPosition position = StreamPosition.parse(message.dedupId());
        byte[] dedupKey = null;
        if (position != null) {
            Enqueued.Outcome heldBack = held.get(position.stream());
            if (heldBack != null) {
                // An earlier message of the stream in this call was refused: queueing this one would move the
                // stream's position past it, and its retry would be dropped as a duplicate.
                return new Enqueued(heldBack, 0, usageOf(counters));
            }
            Long highest = streamsInGroup.get(position.stream());
            if (highest == null) {
                byte[] stored = db.get(
                        cf.get(EmbeddedMessageQueue.STREAMS), position.stream().getBytes(StandardCharsets.UTF_8));
                highest = stored == null
                        ? Long.MIN_VALUE
                        : ByteBuffer.wrap(stored).getLong();
            }
            if (position.position() <= highest) {
                return new Enqueued(Enqueued.Outcome.DUPLICATE, 0, usageOf(counters));
            }
        } else if (message.dedupId() != null) {
            dedupKey = message.dedupId().getBytes(StandardCharsets.UTF_8);
            if (dedupInGroup.contains(message.dedupId())
                    || db.get(cf.get(EmbeddedMessageQueue.DEDUP), dedupKey) != null) {
                return new Enqueued(Enqueued.Outcome.DUPLICATE, 0, usageOf(counters));
            }
        }
        Enqueued.Outcome refused = quota.check(usageOf(counters), message.body().length);
        if (refused != null) {
            if (position != null) {
                held.put(position.stream(), refused);
            }
            return new Enqueued(refused, 0, usageOf(counters));
        }
        long id = ++lastId;
        byte[] key = Keys.entry(recipient, id);
        batch.put(cf.get(EmbeddedMessageQueue.MESSAGES), key, message.body());
        batch.put(cf.get(EmbeddedMessageQueue.QUEUED_AT), key, nowBytes);
        if (dedupKey != null) {
            batch.put(cf.get(EmbeddedMessageQueue.DEDUP), dedupKey, nowBytes);
            dedupInGroup.add(message.dedupId());
        }
        if (position != null) {
            batch.put(
                    cf.get(EmbeddedMessageQueue.STREAMS),
                    position.stream().getBytes(StandardCharsets.UTF_8),
                    longBytes(position.position()));
            streamsInGroup.put(position.stream(), position.position());
        }
        counters[0]++;
        counters[1] += message.body().length;
        changed.add(recipient);
        return new Enqueued(Enqueued.Outcome.QUEUED, id, usageOf(counters));
    }

    private void remove(
            RocksDB db,
            List<ColumnFamilyHandle> cf,
            WriteBatch batch,
            AckOp ack,
            Set<Long> ackedInGroup,
            Set<Address> changed)
            throws RocksDBException {
        // Ids are unique across devices, so the id alone tells two acks of one message apart.
        if (!ackedInGroup.add(ack.id)) {
            return;
        }
        byte[] key = Keys.entry(ack.recipient, ack.id);
        byte[] body = db.get(cf.get(EmbeddedMessageQueue.MESSAGES), key);
        if (body == null) {
            return; // acknowledged before, or never queued: nothing to count
        }
        batch.delete(cf.get(EmbeddedMessageQueue.MESSAGES), key);
        batch.delete(cf.get(EmbeddedMessageQueue.QUEUED_AT), key);
        long[] counters = counters(db, cf, ack.recipient);
        counters[0] = Math.max(0, counters[0] - 1);
        counters[1] = Math.max(0, counters[1] - body.length);
        changed.add(ack.recipient);
    }

    private long[] counters(RocksDB db, List<ColumnFamilyHandle> cf, Address recipient) throws RocksDBException {
        long[] counters = usage.get(recipient);
        if (counters == null) {
            QueueUsage stored = EmbeddedMessageQueue.Counters.decode(
                    db.get(cf.get(EmbeddedMessageQueue.USAGE), Keys.device(recipient)));
            counters = new long[] {stored.messages(), stored.bytes()};
            usage.put(recipient, counters);
        }
        return counters;
    }

    private static QueueUsage usageOf(long[] counters) {
        return new QueueUsage(counters[0], counters[1]);
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    private void failPending() {
        SluiceException closed = SluiceException.unavailable("the embedded queue is closed", null);
        Op op;
        while ((op = pending.poll()) != null) {
            op.fail(closed);
        }
    }

    /** Stops the writer once what is pending is written; later calls fail with {@code unavailable}. */
    @Override
    public void close() {
        closed = true;
        drainLock.lock(); // a caller may be writing a group: let it finish
        drainLock.unlock();
        for (ExecutorService executor : List.of(thread, completer)) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        failPending();
    }

    private sealed interface Op permits EnqueueOp, AckOp {
        void fail(Throwable failure);
    }

    private record EnqueueOp(List<Enqueue> messages, QueueQuota quota, CompletableFuture<List<Enqueued>> done)
            implements Op {
        @Override
        public void fail(Throwable failure) {
            done.completeExceptionally(failure);
        }
    }

    private record AckOp(Address recipient, long id, CompletableFuture<Void> done) implements Op {
        @Override
        public void fail(Throwable failure) {
            done.completeExceptionally(failure);
        }
    }

    private record Delivered(Address recipient, QueuedMessage message) {}
}
