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
 * <p>What follows a durable write (answering the senders, handing the messages to their recipients' connections)
 * runs on a second thread, the completer, group after group in write order, while the writer already writes the
 * next group. Run on the writer's thread, that work serialized the whole path behind one core.
 */
final class QueueWriter implements AutoCloseable {
    /** Most operations in one group: bounds a batch's memory and the wait of its first operation. */
    private static final int MAX_GROUP = 1024;
    /** Devices whose counters are cached; the rest are read from the usage family when next needed. */
    private static final int USAGE_CACHE = 65_536;

    /** Told of each message the writer has made durable, in id order, on the completer's thread. */
    @FunctionalInterface
    interface Notifier {
        void queued(Address recipient, QueuedMessage message);
    }

    private final RocksStore store;
    private final Clock clock;
    private final Notifier notifier;
    private final ExecutorService thread;
    private final ExecutorService completer;
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

    private void submit(Op op) {
        pending.add(op);
        if (pendingCount.getAndIncrement() == 0) {
            try {
                thread.execute(this::drain);
            } catch (RejectedExecutionException e) {
                failPending();
            }
        } else if (closed) {
            failPending();
        }
    }

    private void drain() {
        List<Op> group = new ArrayList<>(64);
        while (true) {
            Op op;
            while (group.size() < MAX_GROUP && (op = pending.poll()) != null) {
                group.add(op);
            }
            write(group);
            int taken = group.size();
            group.clear();
            if (pendingCount.addAndGet(-taken) == 0) {
                return;
            }
        }
    }

    private void write(List<Op> group) {
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
            complete(() -> failed.forEach(op -> op.fail(failure)));
            return;
        }
        complete(() -> {
            for (Runnable completion : completions) {
                completion.run();
            }
            for (Delivered d : delivered) {
                notifier.queued(d.recipient, d.message);
            }
        });
    }

    /** Runs what follows a group's write on the completer, after the groups before it. */
    private void complete(Runnable work) {
        try {
            completer.execute(work);
        } catch (RejectedExecutionException e) {
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
            Set<Address> changed)
            throws RocksDBException {
        Address recipient = message.recipient();
        long[] counters = counters(db, cf, recipient);
        StreamPosition position = StreamPosition.parse(message.dedupId());
        byte[] dedupKey = null;
        if (position != null) {
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
