package io.sluice.connector.embedded;

import io.sluice.spi.SettingException;
import io.sluice.spi.SluiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * One RocksDB database with named column families, opened and closed safely: every use holds a read lock,
 * so closing (which takes the write lock) never frees native memory under a running call, and a call on a
 * closed store fails with {@code unavailable} instead of crashing the process.
 *
 * <p>Writes go through the write-ahead log before they return, so they survive the process being killed;
 * with {@code sync} they are also fsynced and survive losing power, at the cost of a disk flush per write.
 */
final class RocksStore implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final List<String> families;
    private final boolean sync;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private RocksDB db;
    private List<ColumnFamilyHandle> handles = List.of();
    private DBOptions dbOptions;
    private ColumnFamilyOptions cfOptions;
    private WriteOptions writeOptions;

    RocksStore(Path dir, List<String> families, boolean sync) {
        this.dir = dir;
        this.families = List.copyOf(families);
        this.sync = sync;
    }

    /** Opens the database, creating it when missing. */
    RocksStore open() {
        lock.writeLock().lock();
        try {
            if (db != null) {
                return this;
            }
            Files.createDirectories(dir);
            dbOptions = new DBOptions()
                    .setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true)
                    .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                    .setKeepLogFileNum(2)
                    .setMaxTotalWalSize(64L * 1024 * 1024);
            cfOptions = new ColumnFamilyOptions().optimizeForPointLookup(16);
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
            for (String family : families) {
                descriptors.add(new ColumnFamilyDescriptor(
                        family.getBytes(java.nio.charset.StandardCharsets.UTF_8), new ColumnFamilyOptions()));
            }
            List<ColumnFamilyHandle> opened = new ArrayList<>();
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, opened);
            handles = opened;
            writeOptions = new WriteOptions().setSync(sync);
            return this;
        } catch (RocksDBException e) {
            boolean locked = e.getMessage() != null && e.getMessage().contains("lock");
            throw (SettingException) new SettingException(
                            "sluice.data-dir",
                            dir.getParent().toString(),
                            locked
                                    ? "a directory no other Sluice process is using"
                                    : "a directory RocksDB can open (" + e.getMessage() + ")")
                    .initCause(e);
        } catch (IOException e) {
            throw (SettingException) new SettingException(
                            "sluice.data-dir",
                            dir.getParent().toString(),
                            "a directory that can be created (" + e + ")")
                    .initCause(e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Work against the open database. */
    interface Work<T> {
        T run(RocksDB db, WriteOptions writeOptions, List<ColumnFamilyHandle> families) throws RocksDBException;
    }

    /**
     * Runs work on the open database; family 0 of the handles is the default family, then the named ones in
     * order.
     *
     * @throws SluiceException unavailable when the store is closed or RocksDB fails
     */
    <T> T with(Work<T> work) {
        lock.readLock().lock();
        try {
            if (db == null) {
                throw SluiceException.unavailable("the embedded store at " + dir + " is closed", null);
            }
            return work.run(db, writeOptions, handles);
        } catch (RocksDBException e) {
            throw SluiceException.unavailable("the embedded store at " + dir + " failed: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (db == null) {
                return;
            }
            handles.forEach(ColumnFamilyHandle::close);
            db.close();
            writeOptions.close();
            dbOptions.close();
            cfOptions.close();
            db = null;
            handles = List.of();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
