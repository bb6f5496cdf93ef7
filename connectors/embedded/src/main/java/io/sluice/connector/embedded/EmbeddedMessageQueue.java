package io.sluice.connector.embedded;

import io.sluice.spi.Address;
import io.sluice.spi.Enqueue;
import io.sluice.spi.Enqueued;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.QueueUsage;
import io.sluice.spi.QueuedMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-device message queues in RocksDB, for one gateway process.
 *
 * <p>Writes are group-committed: every enqueue and acknowledge goes to one writer ({@link QueueWriter}), which takes
 * whatever is pending at that moment into one RocksDB write batch, one write-ahead-log append for all of them. The
 * writer is the only thread that assigns ids and changes counters, so ids grow in acceptance order without a lock,
 * and quotas and dedup are checked in the same step that appends. Once a batch is written, each message is handed
 * to the subscribers of its recipient ({@link MessageQueue.Listener#queued}), in id order, so a live connection
 * sends it without reading it back. Reads go straight to RocksDB on the caller's thread.
 *
 * <p>Column families: {@code messages} (device key + id → body), {@code queued-at} (the same key → when it was
 * accepted, for the delivery-lag metric), {@code dedup} (dedup id → time first queued; swept after the retention),
 * {@code streams} (stream name → highest position queued, for every device), {@code usage} (device key → messages
 * and bytes waiting, kept in the same batches as the messages, so quotas never need a scan), default (the id
 * counter). As a stream's position is shared by every device, a message with a positioned id refused by the quota
 * refuses the later messages of its stream in the same call, whoever they are for: queued, they would move the
 * position past it, and the refused message, sent again, would be dropped as a duplicate.
 */
public final class EmbeddedMessageQueue implements MessageQueue {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMessageQueue.class);
    static final byte[] LAST_ID = "last-id".getBytes(StandardCharsets.UTF_8);
    /** Present once the usage family holds every device's counters; absent in a database from before it existed. */
    static final byte[] USAGE_COUNTED = "usage-counted".getBytes(StandardCharsets.UTF_8);

    static final int META = 0;
    static final int MESSAGES = 1;
    static final int DEDUP = 2;
    static final int QUEUED_AT = 3;
    static final int STREAMS = 4;
    static final int USAGE = 5;
    static final List<String> FAMILIES = List.of("messages", "dedup", "queued-at", "streams", "usage");

    private final RocksStore store;
    private final Duration dedupRetention;
    private final Clock clock;
    private final Map<Address, List<Listener>> listeners = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private volatile QueueWriter writer;

    private EmbeddedMessageQueue(RocksStore store, Duration dedupRetention, Clock clock, boolean sweep) {
        this.store = store;
        this.dedupRetention = dedupRetention;
        this.clock = clock;
        this.writer = new QueueWriter(store, clock, this::notifyQueued);
        countUsageOnce();
        if (sweep) {
            sweeper = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("sluice-dedup-sweep").daemon().factory());
            long period = Math.max(1, Math.min(dedupRetention.toMinutes(), 60));
            sweeper.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MINUTES);
        } else {
            sweeper = null;
        }
    }

    /**
     * Opens (creating when missing) the queues in {@code dir}, and sweeps expired dedup ids every so often.
     *
     * @param sync fsync every write batch (survives power loss; slower) rather than only write the log
     * @param dedupRetention how long a dedup id is remembered after its message was queued
     */
    public static EmbeddedMessageQueue open(Path dir, boolean sync, Duration dedupRetention) {
        return new EmbeddedMessageQueue(
                new RocksStore(dir, FAMILIES, sync).open(), dedupRetention, Clock.systemUTC(), true);
    }

    /** As {@link #open(Path, boolean, Duration)} on this clock, without the periodic sweep: for tests. */
    static EmbeddedMessageQueue open(Path dir, boolean sync, Duration dedupRetention, Clock clock) {
        return new EmbeddedMessageQueue(new RocksStore(dir, FAMILIES, sync).open(), dedupRetention, clock, false);
    }

    /** Reopens a closed queue; a no-op when open. */
    public void reopen() {
        store.open();
        writer = new QueueWriter(store, clock, this::notifyQueued);
    }

    /** Counts every device's messages into the usage family, once, for a database from before it was kept. */
    private void countUsageOnce() {
        store.with((db, options, cf) -> {
            if (db.get(cf.get(META), USAGE_COUNTED) != null) {
                return null;
            }
            try (var batch = new org.rocksdb.WriteBatch();
                    RocksIterator it = db.newIterator(cf.get(MESSAGES))) {
                byte[] device = null;
                long messages = 0;
                long bytes = 0;
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] key = it.key();
                    if (device == null || !Keys.startsWith(key, device)) {
                        if (device != null) {
                            batch.put(cf.get(USAGE), device, Counters.encode(messages, bytes));
                        }
                        device = java.util.Arrays.copyOf(key, Keys.DEVICE);
                        messages = 0;
                        bytes = 0;
                    }
                    messages++;
                    bytes += it.value().length;
                }
                if (device != null) {
                    batch.put(cf.get(USAGE), device, Counters.encode(messages, bytes));
                }
                batch.put(cf.get(META), USAGE_COUNTED, new byte[] {1});
                db.write(options, batch);
            }
            return null;
        });
    }

    @Override
    public CompletionStage<List<Enqueued>> enqueue(List<Enqueue> messages, QueueQuota quota) {
        return writer.enqueue(List.copyOf(messages), quota);
    }

    @Override
    public CompletionStage<Void> acknowledge(Address recipient, long id) {
        return writer.acknowledge(recipient, id);
    }

    @Override
    public CompletionStage<List<QueuedMessage>> read(Address recipient, long afterId, int max) {
        try {
            return CompletableFuture.completedFuture(readNow(recipient, afterId, max));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private List<QueuedMessage> readNow(Address recipient, long afterId, int max) {
        return store.with((db, options, cf) -> {
            byte[] prefix = Keys.device(recipient);
            List<byte[]> keys = new ArrayList<>(Math.min(max, 64));
            List<byte[]> bodies = new ArrayList<>(Math.min(max, 64));
            try (Slice upper = new Slice(Keys.after(prefix));
                    ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
                    RocksIterator it = db.newIterator(cf.get(MESSAGES), read)) {
                for (it.seek(Keys.entry(recipient, afterId + 1)); it.isValid() && keys.size() < max; it.next()) {
                    keys.add(it.key());
                    bodies.add(it.value());
                }
            }
            if (keys.isEmpty()) {
                return List.of();
            }
            List<byte[]> times = db.multiGetAsList(Collections.nCopies(keys.size(), cf.get(QUEUED_AT)), keys);
            List<QueuedMessage> messages = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                byte[] time = times.get(i);
                messages.add(new QueuedMessage(
                        Keys.sequenceOf(keys.get(i)),
                        bodies.get(i),
                        time == null
                                ? null
                                : Instant.ofEpochMilli(ByteBuffer.wrap(time).getLong())));
            }
            return messages;
        });
    }

    @Override
    public CompletionStage<QueueUsage> usage(Address recipient) {
        try {
            return CompletableFuture.completedFuture(
                    store.with((db, options, cf) -> Counters.decode(db.get(cf.get(USAGE), Keys.device(recipient)))));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void checkAvailable() {
        store.with((db, options, cf) -> null);
    }

    @Override
    public Subscription subscribe(Address recipient, Listener listener) {
        listeners.computeIfAbsent(recipient, a -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(recipient, (a, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    @Override
    public CompletionStage<Void> signal(Address recipient, Signal signal) {
        List<Listener> subscribers = listeners.get(recipient);
        if (subscribers != null) {
            for (Listener listener : subscribers) {
                try {
                    listener.signalled(signal);
                } catch (RuntimeException e) {
                    LOG.atWarn()
                            .addKeyValue("event", "queue.listener.failed")
                            .addKeyValue("error", e.toString())
                            .log();
                }
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Called by the writer, in id order, for each message it has just made durable. */
    private void notifyQueued(Address recipient, QueuedMessage message) {
        List<Listener> subscribers = listeners.get(recipient);
        if (subscribers == null) {
            return;
        }
        for (Listener listener : subscribers) {
            try {
                listener.queued(message);
            } catch (RuntimeException e) {
                LOG.atWarn()
                        .addKeyValue("event", "queue.listener.failed")
                        .addKeyValue("error", e.toString())
                        .log();
            }
        }
    }

    /** Forgets dedup ids older than the retention; returns how many. */
    public int sweepDedup() {
        long cutoff = clock.millis() - dedupRetention.toMillis();
        return store.with((db, options, cf) -> {
            int removed = 0;
            try (var batch = new org.rocksdb.WriteBatch();
                    RocksIterator it = db.newIterator(cf.get(DEDUP))) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    if (ByteBuffer.wrap(it.value()).getLong() < cutoff) {
                        batch.delete(cf.get(DEDUP), it.key());
                        removed++;
                    }
                }
                db.write(options, batch);
            }
            return removed;
        });
    }

    private void sweepQuietly() {
        try {
            sweepDedup();
        } catch (RuntimeException e) {
            LOG.atWarn()
                    .addKeyValue("event", "queue.dedup.sweep.failed")
                    .addKeyValue("error", e.toString())
                    .log();
        }
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        writer.close();
        store.close();
    }

    /** A device's counters as stored in the usage family: two big-endian longs. */
    static final class Counters {
        private Counters() {}

        static byte[] encode(long messages, long bytes) {
            return ByteBuffer.allocate(2 * Long.BYTES)
                    .putLong(messages)
                    .putLong(bytes)
                    .array();
        }

        static QueueUsage decode(byte[] value) {
            if (value == null) {
                return QueueUsage.EMPTY;
            }
            ByteBuffer buffer = ByteBuffer.wrap(value);
            return new QueueUsage(buffer.getLong(), buffer.getLong());
        }
    }
}
