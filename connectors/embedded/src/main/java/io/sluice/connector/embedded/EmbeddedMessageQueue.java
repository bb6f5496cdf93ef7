package io.sluice.connector.embedded;

import io.sluice.spi.Address;
import io.sluice.spi.MessageQueue;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-device message queues in RocksDB, for one gateway process. Message ids come from one counter that is
 * written in the same batch as the message, under one lock, so ids grow in the order messages were accepted
 * and a reader that has seen id N never later finds a smaller one.
 *
 * <p>Column families: {@code messages} (device key + id → body), {@code queued-at} (the same key → when it was
 * accepted, for the delivery-lag metric; absent for messages queued before it existed), {@code dedup} (dedup id
 * → time first queued; swept after the retention), default (the id counter).
 *
 * <p>{@link #usage} is answered from per-recipient counters, seeded by one scan the first time a recipient is
 * asked about and then kept up to date by enqueue and acknowledge under the write lock. A recipient whose queue
 * empties is forgotten, unless a live connection subscribes to it: an online device that acks everything
 * empties its queue after every message, and re-counting it with a scan on each next enqueue was the costliest
 * step of the embedded path. So memory is bounded by live subscriptions, not by every recipient ever seen.
 */
public final class EmbeddedMessageQueue implements MessageQueue {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMessageQueue.class);
    private static final byte[] LAST_ID = "last-id".getBytes(StandardCharsets.UTF_8);
    private static final int META = 0;
    private static final int MESSAGES = 1;
    private static final int DEDUP = 2;
    private static final int QUEUED_AT = 3;
    private static final int STREAMS = 4;

    private final RocksStore store;
    private final Duration dedupRetention;
    private final Clock clock;
    private final Object writeLock = new Object();
    private final Map<Address, List<Runnable>> listeners = new ConcurrentHashMap<>();
    private final Map<Address, QueueUsage> usage = new ConcurrentHashMap<>();
    private long lastId;

    private EmbeddedMessageQueue(RocksStore store, Duration dedupRetention, Clock clock) {
        this.store = store;
        this.dedupRetention = dedupRetention;
        this.clock = clock;
        this.lastId = readLastId();
    }

    /**
     * Opens (creating when missing) the queues in {@code dir}.
     *
     * @param sync           fsync every write (survives power loss; slower) rather than only write the log
     * @param dedupRetention how long a dedup id is remembered after its message was queued
     */
    public static EmbeddedMessageQueue open(Path dir, boolean sync, Duration dedupRetention) {
        return open(dir, sync, dedupRetention, Clock.systemUTC());
    }

    /** As {@link #open(Path, boolean, Duration)}, with the clock that stamps acceptance and dedup times. */
    static EmbeddedMessageQueue open(Path dir, boolean sync, Duration dedupRetention, Clock clock) {
        return new EmbeddedMessageQueue(
                new RocksStore(dir, List.of("messages", "dedup", "queued-at", "streams"), sync).open(),
                dedupRetention,
                clock);
    }

    /** Reopens a closed queue; a no-op when open. */
    public void reopen() {
        store.open();
        synchronized (writeLock) {
            lastId = readLastId();
            usage.clear();
        }
    }

    private long readLastId() {
        return store.with((db, options, cf) -> {
            byte[] value = db.get(cf.get(META), LAST_ID);
            return value == null ? 0L : ByteBuffer.wrap(value).getLong();
        });
    }

    @Override
    public boolean enqueue(Address recipient, byte[] body, String dedupId) {
        boolean queued;
        synchronized (writeLock) {
            queued = store.with((db, options, cf) -> {
                StreamPosition position = StreamPosition.parse(dedupId);
                byte[] dedupKey = dedupId == null || position != null ? null : dedupId.getBytes(StandardCharsets.UTF_8);
                if (dedupKey != null && db.get(cf.get(DEDUP), dedupKey) != null) {
                    return false;
                }
                if (position != null) {
                    byte[] highest = db.get(cf.get(STREAMS), position.stream());
                    if (highest != null
                            && position.position() <= ByteBuffer.wrap(highest).getLong()) {
                        return false;
                    }
                }
                long id = lastId + 1;
                byte[] now =
                        ByteBuffer.allocate(Long.BYTES).putLong(clock.millis()).array();
                try (WriteBatch batch = new WriteBatch()) {
                    byte[] key = Keys.entry(recipient, id);
                    batch.put(cf.get(MESSAGES), key, body);
                    batch.put(cf.get(QUEUED_AT), key, now);
                    batch.put(
                            cf.get(META),
                            LAST_ID,
                            ByteBuffer.allocate(Long.BYTES).putLong(id).array());
                    if (dedupKey != null) {
                        batch.put(cf.get(DEDUP), dedupKey, now);
                    }
                    if (position != null) {
                        batch.put(
                                cf.get(STREAMS),
                                position.stream(),
                                ByteBuffer.allocate(Long.BYTES)
                                        .putLong(position.position())
                                        .array());
                    }
                    db.write(options, batch);
                }
                lastId = id;
                usage.computeIfPresent(recipient, (a, u) -> new QueueUsage(u.messages() + 1, u.bytes() + body.length));
                return true;
            });
        }
        if (queued) {
            List<Runnable> subscribers = listeners.get(recipient);
            if (subscribers != null) {
                subscribers.forEach(EmbeddedMessageQueue::wake);
            }
        }
        return queued;
    }

    private static void wake(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOG.warn("event=queue.listener.failed error={}", e.toString());
        }
    }

    @Override
    public List<QueuedMessage> read(Address recipient, long afterId, int max) {
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
    public void acknowledge(Address recipient, long id) {
        byte[] key = Keys.entry(recipient, id);
        // Under the write lock, so that the counters of usage() see each message come and go exactly once.
        synchronized (writeLock) {
            store.with((db, options, cf) -> {
                int size =
                        usage.containsKey(recipient) ? db.get(cf.get(MESSAGES), key, new byte[0]) : RocksDB.NOT_FOUND;
                try (WriteBatch batch = new WriteBatch()) {
                    batch.delete(cf.get(MESSAGES), key);
                    batch.delete(cf.get(QUEUED_AT), key);
                    db.write(options, batch);
                }
                if (size != RocksDB.NOT_FOUND) {
                    usage.computeIfPresent(
                            recipient,
                            (a, u) -> u.messages() <= 1
                                    ? emptyOrForgotten(a)
                                    : new QueueUsage(u.messages() - 1, Math.max(0, u.bytes() - size)));
                }
                return null;
            });
        }
    }

    @Override
    public long depth(Address recipient) {
        return usage(recipient).messages();
    }

    @Override
    public QueueUsage usage(Address recipient) {
        QueueUsage known = usage.get(recipient);
        if (known != null) {
            return known;
        }
        synchronized (writeLock) {
            QueueUsage counted = usage.computeIfAbsent(recipient, this::count);
            if (counted.messages() == 0 && !listeners.containsKey(recipient)) {
                usage.remove(recipient);
            }
            return counted;
        }
    }

    private QueueUsage count(Address recipient) {
        return store.with((db, options, cf) -> {
            byte[] prefix = Keys.device(recipient);
            long messages = 0;
            long bytes = 0;
            try (Slice upper = new Slice(Keys.after(prefix));
                    ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
                    RocksIterator it = db.newIterator(cf.get(MESSAGES), read)) {
                for (it.seek(prefix); it.isValid(); it.next()) {
                    messages++;
                    bytes += it.value().length;
                }
            }
            return new QueueUsage(messages, bytes);
        });
    }

    @Override
    public void checkAvailable() {
        store.with((db, options, cf) -> null);
    }

    @Override
    public Subscription subscribe(Address recipient, Runnable listener) {
        listeners.computeIfAbsent(recipient, a -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> {
            listeners.computeIfPresent(recipient, (a, list) -> {
                list.remove(listener);
                return list.isEmpty() ? null : list;
            });
            if (!listeners.containsKey(recipient)) {
                usage.computeIfPresent(recipient, (a, u) -> u.messages() == 0 ? null : u);
            }
        };
    }

    /** Forgets dedup ids older than the retention; returns how many. Run periodically. */
    public int sweepDedup() {
        long cutoff = clock.millis() - dedupRetention.toMillis();
        return store.with((db, options, cf) -> {
            int removed = 0;
            try (WriteBatch batch = new WriteBatch();
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

    @Override
    public void close() {
        store.close();
    }

    /** A dedup id of the form {@code <stream>@<position>}: a stream name and a position that only grows along it. */
    private record StreamPosition(byte[] stream, long position) {
        static StreamPosition parse(String dedupId) {
            if (dedupId == null) {
                return null;
            }
            int at = dedupId.lastIndexOf('@');
            if (at <= 0 || at == dedupId.length() - 1) {
                return null;
            }
            for (int i = at + 1; i < dedupId.length(); i++) {
                if (!Character.isDigit(dedupId.charAt(i))) {
                    return null;
                }
            }
            try {
                return new StreamPosition(
                        dedupId.substring(0, at).getBytes(StandardCharsets.UTF_8),
                        Long.parseLong(dedupId.substring(at + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** What an emptied recipient's counter becomes: zero while someone listens, else forgotten. */
    private QueueUsage emptyOrForgotten(Address recipient) {
        return listeners.containsKey(recipient) ? new QueueUsage(0, 0) : null;
    }
}
