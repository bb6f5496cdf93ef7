package io.sluice.connector.embedded;

import io.sluice.spi.Address;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.QueuedMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rocksdb.ReadOptions;
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
 * <p>Column families: {@code messages} (device key + id → body), {@code dedup} (dedup id → time first
 * queued; swept after the retention), default (the id counter).
 */
public final class EmbeddedMessageQueue implements MessageQueue {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMessageQueue.class);
    private static final byte[] LAST_ID = "last-id".getBytes(StandardCharsets.UTF_8);
    private static final int META = 0;
    private static final int MESSAGES = 1;
    private static final int DEDUP = 2;

    private final RocksStore store;
    private final Duration dedupRetention;
    private final Clock clock;
    private final Object writeLock = new Object();
    private final Map<Address, List<Runnable>> listeners = new ConcurrentHashMap<>();
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
        return new EmbeddedMessageQueue(new RocksStore(dir, List.of("messages", "dedup"), sync).open(),
                dedupRetention, Clock.systemUTC());
    }

    /** Reopens a closed queue; a no-op when open. */
    public void reopen() {
        store.open();
        synchronized (writeLock) {
            lastId = readLastId();
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
                byte[] dedupKey = dedupId == null ? null : dedupId.getBytes(StandardCharsets.UTF_8);
                if (dedupKey != null && db.get(cf.get(DEDUP), dedupKey) != null) {
                    return false;
                }
                long id = lastId + 1;
                try (WriteBatch batch = new WriteBatch()) {
                    batch.put(cf.get(MESSAGES), Keys.entry(recipient, id), body);
                    batch.put(cf.get(META), LAST_ID, ByteBuffer.allocate(Long.BYTES).putLong(id).array());
                    if (dedupKey != null) {
                        batch.put(cf.get(DEDUP), dedupKey,
                                ByteBuffer.allocate(Long.BYTES).putLong(clock.millis()).array());
                    }
                    db.write(options, batch);
                }
                lastId = id;
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
            List<QueuedMessage> messages = new ArrayList<>(Math.min(max, 64));
            try (Slice upper = new Slice(Keys.after(prefix));
                    ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
                    RocksIterator it = db.newIterator(cf.get(MESSAGES), read)) {
                for (it.seek(Keys.entry(recipient, afterId + 1)); it.isValid() && messages.size() < max; it.next()) {
                    messages.add(new QueuedMessage(Keys.sequenceOf(it.key()), it.value()));
                }
            }
            return messages;
        });
    }

    @Override
    public void acknowledge(Address recipient, long id) {
        store.with((db, options, cf) -> {
            db.delete(cf.get(MESSAGES), options, Keys.entry(recipient, id));
            return null;
        });
    }

    @Override
    public long depth(Address recipient) {
        return store.with((db, options, cf) -> {
            byte[] prefix = Keys.device(recipient);
            long count = 0;
            try (Slice upper = new Slice(Keys.after(prefix));
                    ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
                    RocksIterator it = db.newIterator(cf.get(MESSAGES), read)) {
                for (it.seek(prefix); it.isValid(); it.next()) {
                    count++;
                }
            }
            return count;
        });
    }

    @Override
    public Subscription subscribe(Address recipient, Runnable listener) {
        listeners.computeIfAbsent(recipient, a -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(recipient, (a, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    /** Forgets dedup ids older than the retention; returns how many. Run periodically. */
    public int sweepDedup() {
        long cutoff = clock.millis() - dedupRetention.toMillis();
        return store.with((db, options, cf) -> {
            int removed = 0;
            try (WriteBatch batch = new WriteBatch(); RocksIterator it = db.newIterator(cf.get(DEDUP))) {
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
}
