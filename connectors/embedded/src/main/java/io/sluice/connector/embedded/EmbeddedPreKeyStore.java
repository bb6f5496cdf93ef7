package io.sluice.connector.embedded;

import io.sluice.spi.Address;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.PreKeyStore;
import io.sluice.spi.Registration;
import io.sluice.spi.SluiceException;
import io.sluice.spi.UserId;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * Registrations and one-time prekeys in RocksDB. One process owns a data directory (RocksDB locks it), so a
 * per-user lock makes every read-modify-write of a user's keys atomic: a claim reads the user's devices and
 * removes one key of each in one write batch while holding it, and no key is handed out twice.
 *
 * <p>Layout: the default column family maps a device key (user + device) to its registration record;
 * {@code onetime} maps device key + sequence to one one-time prekey, in the order they were registered.
 */
public final class EmbeddedPreKeyStore implements PreKeyStore, AutoCloseable {
    private static final String ONE_TIME = "onetime";
    private static final int REGISTRATIONS = 0;
    private static final int KEYS = 1;
    private static final int STRIPES = 256;

    private final RocksStore store;
    private final ReentrantLock[] userLocks = new ReentrantLock[STRIPES];

    private EmbeddedPreKeyStore(RocksStore store) {
        this.store = store;
        Arrays.setAll(userLocks, i -> new ReentrantLock());
    }

    /** Opens (creating when missing) the store in {@code dir}. */
    public static EmbeddedPreKeyStore open(Path dir, boolean sync) {
        return new EmbeddedPreKeyStore(new RocksStore(dir, List.of(ONE_TIME), sync).open());
    }

    /** Reopens a closed store; a no-op when open. */
    public void reopen() {
        store.open();
    }

    @Override
    public void close() {
        store.close();
    }

    /** The record kept per device; the remaining count saves a scan on every low-prekey check. */
    private record Record(int registrationId, byte[] signedPreKey, long nextSequence, int remaining) {
        byte[] encode() {
            return ByteBuffer.allocate(4 + 8 + 4 + signedPreKey.length)
                    .putInt(registrationId)
                    .putLong(nextSequence)
                    .putInt(remaining)
                    .put(signedPreKey)
                    .array();
        }

        static Record decode(byte[] value) {
            ByteBuffer b = ByteBuffer.wrap(value);
            int registrationId = b.getInt();
            long next = b.getLong();
            int remaining = b.getInt();
            byte[] signed = new byte[b.remaining()];
            b.get(signed);
            return new Record(registrationId, signed, next, remaining);
        }

        Record with(long nextSequence, int remaining) {
            return new Record(registrationId, signedPreKey, nextSequence, remaining);
        }
    }

    private ReentrantLock lockOf(UserId userId) {
        return userLocks[Math.floorMod(userId.hashCode(), STRIPES)];
    }

    @Override
    public void register(Address address, Registration registration) {
        locked(address.userId(), (db, options, cf) -> {
            byte[] deviceKey = Keys.device(address);
            byte[] existing = db.get(cf.get(REGISTRATIONS), deviceKey);
            Record record = existing == null ? null : Record.decode(existing);
            try (WriteBatch batch = new WriteBatch()) {
                boolean append = record != null
                        && registration.isContinuedBy(
                                new Registration(record.registrationId(), record.signedPreKey(), List.of()));
                if (!append) {
                    batch.deleteRange(cf.get(KEYS), deviceKey, Keys.after(deviceKey));
                    record = new Record(registration.registrationId(), registration.signedPreKey(), 0, 0);
                }
                long next = record.nextSequence();
                for (byte[] key : registration.oneTimePreKeys()) {
                    batch.put(cf.get(KEYS), Keys.entry(address, next++), key);
                }
                batch.put(
                        cf.get(REGISTRATIONS),
                        deviceKey,
                        record.with(
                                        next,
                                        record.remaining()
                                                + registration.oneTimePreKeys().size())
                                .encode());
                db.write(options, batch);
            }
            return null;
        });
    }

    @Override
    public void unregister(Address address) {
        locked(address.userId(), (db, options, cf) -> {
            byte[] deviceKey = Keys.device(address);
            try (WriteBatch batch = new WriteBatch()) {
                batch.delete(cf.get(REGISTRATIONS), deviceKey);
                batch.deleteRange(cf.get(KEYS), deviceKey, Keys.after(deviceKey));
                db.write(options, batch);
            }
            return null;
        });
    }

    @Override
    public List<PreKeyBundle> claim(PreKeyRequest request) {
        UserId userId = request.userId();
        return locked(userId, (db, options, cf) -> {
            byte[] userKey = Keys.user(userId);
            List<PreKeyBundle> bundles = new ArrayList<>();
            boolean anyDevice = false;
            try (WriteBatch batch = new WriteBatch();
                    RocksIterator devices = db.newIterator(cf.get(REGISTRATIONS))) {
                for (devices.seek(userKey);
                        devices.isValid() && Keys.startsWith(devices.key(), userKey);
                        devices.next()) {
                    anyDevice = true;
                    int deviceId = Keys.deviceOf(devices.key());
                    if (request.knownDeviceIds().contains(deviceId)) {
                        continue;
                    }
                    Record record = Record.decode(devices.value());
                    byte[] oneTime = takeFirstKey(db, cf.get(KEYS), devices.key(), batch);
                    if (oneTime != null) {
                        batch.put(
                                cf.get(REGISTRATIONS),
                                devices.key(),
                                record.with(record.nextSequence(), record.remaining() - 1)
                                        .encode());
                    }
                    bundles.add(new PreKeyBundle(deviceId, record.registrationId(), record.signedPreKey(), oneTime));
                }
                if (!anyDevice) {
                    throw SluiceException.unknownUser(userId);
                }
                db.write(options, batch);
            }
            return bundles;
        });
    }

    private static byte[] takeFirstKey(RocksDB db, ColumnFamilyHandle keys, byte[] deviceKey, WriteBatch batch)
            throws RocksDBException {
        try (Slice upper = new Slice(Keys.after(deviceKey));
                ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
                RocksIterator it = db.newIterator(keys, read)) {
            it.seek(deviceKey);
            if (!it.isValid()) {
                return null;
            }
            batch.delete(keys, it.key());
            return it.value();
        }
    }

    @Override
    public int count(Address address) {
        return store.with((db, options, cf) -> {
            byte[] value = db.get(cf.get(REGISTRATIONS), Keys.device(address));
            return value == null ? 0 : Record.decode(value).remaining();
        });
    }

    private <T> T locked(UserId userId, RocksStore.Work<T> work) {
        ReentrantLock lock = lockOf(userId);
        lock.lock();
        try {
            return store.with(work);
        } finally {
            lock.unlock();
        }
    }
}
