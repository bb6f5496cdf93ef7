package io.sluice.connector.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.spi.Address;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.PreKeyStore;
import io.sluice.spi.Registration;
import io.sluice.spi.Setting;
import io.sluice.spi.SettingDefinitions;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import io.sluice.spi.SluiceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * A {@link PreKeyStore} in PostgreSQL, safe to share between several gateways on one database.
 *
 * <pre>{@code
 * try (JdbcPreKeyStore store = JdbcPreKeyStore.builder()
 *         .url("jdbc:postgresql://127.0.0.1:5432/sluice").user("sluice").password(secret)
 *         .build()) {
 *     store.register(address, registration);
 * }
 * }</pre>
 *
 * <p>{@link Builder#build()} opens a HikariCP pool and brings the schema up to date with the Flyway migrations in
 * {@code db/migration/prekeys} (history table {@value #HISTORY_TABLE}); gateways starting together take turns on
 * Flyway's lock.
 *
 * <p>Concurrency: a claim reads the user's devices {@code FOR SHARE} and takes each device's oldest one-time
 * prekey with one {@code DELETE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING}, all in one
 * transaction, so concurrent claims on any gateway never hand out a key twice, nor wait for each other. A
 * register locks the device's row {@code FOR UPDATE} before deciding between append and replace, so it never
 * interleaves with a claim of that device or another register.
 *
 * <p>Outages: every wait is bounded by the {@linkplain Builder#timeout(Duration) timeout} (pool checkout,
 * connect, statement, socket), and every {@link SQLException} becomes a {@link SluiceException} named
 * {@code unavailable}; since each operation is one transaction, nothing was changed. After the database
 * comes back, the pool's dead connections are replaced at the first failure, not one failed request each.
 */
public final class JdbcPreKeyStore implements PreKeyStore, AutoCloseable {
    /** Flyway's history table for this store's migrations, apart from any other Flyway user of the schema. */
    public static final String HISTORY_TABLE = "sluice_prekeys_history";

    static final String MIGRATIONS = "classpath:db/migration/prekeys";
    /** Setting: the JDBC URL. */
    public static final Setting<String> URL_SETTING = Setting.string(
            "sluice.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/test", "the database; any pgJDBC URL parameters work");
    /** Setting: the database user. */
    public static final Setting<String> USER_SETTING = Setting.string("sluice.jdbc.user", "postgres", "database user");
    /** Setting: the database password. */
    public static final Setting<String> PASSWORD_SETTING =
            Setting.string("sluice.jdbc.password", "", "its password").secret();
    /** Setting: the schema of the tables. */
    public static final Setting<String> SCHEMA_SETTING = Setting.string(
                    "sluice.jdbc.schema", null, "schema of the tables, created when missing")
            .defaultFrom("the user's default (public)");
    /** Setting: connections in the pool. */
    public static final Setting<Integer> POOL_SIZE_SETTING =
            Setting.integer("sluice.jdbc.pool-size", 10, 1, 1000, "connections per gateway");
    /** Setting: the longest one wait may take. */
    public static final Setting<Duration> TIMEOUT_SETTING = Setting.duration(
            "sluice.jdbc.timeout", "3s", "the longest one wait may take: pool checkout, connect, statement");

    public static final String URL = URL_SETTING.key();
    public static final String USER = USER_SETTING.key();
    public static final String PASSWORD = PASSWORD_SETTING.key();
    public static final String SCHEMA = SCHEMA_SETTING.key();
    public static final String POOL_SIZE = POOL_SIZE_SETTING.key();
    public static final String TIMEOUT = TIMEOUT_SETTING.key();
    /** Every {@code sluice.jdbc.*} setting. */
    public static final List<String> SETTINGS = List.of(URL, USER, PASSWORD, SCHEMA, POOL_SIZE, TIMEOUT);

    /** Declares the {@code sluice.jdbc.*} settings, as module {@code jdbc}. */
    public static final class Definitions implements SettingDefinitions {
        @Override
        public String module() {
            return "jdbc";
        }

        @Override
        public List<Setting<?>> settings() {
            return List.of(
                    URL_SETTING, USER_SETTING, PASSWORD_SETTING, SCHEMA_SETTING, POOL_SIZE_SETTING, TIMEOUT_SETTING);
        }

        /** Builds the store's builder: the checks of the URL, schema and timeout included; nothing connects. */
        @Override
        public void check(Settings settings) {
            builder(settings);
        }
    }

    private static final String SCHEMA_NAME = "[a-z_][a-z0-9_]{0,62}";

    private static final String INSERT_DEVICE = """
            INSERT INTO prekey_devices (user_id, device_id, registration_id, signed_prekey) VALUES (?, ?, ?, ?)
            ON CONFLICT (user_id, device_id) DO NOTHING""";
    private static final String LOCK_DEVICE = """
            SELECT registration_id, signed_prekey FROM prekey_devices WHERE user_id = ? AND device_id = ?
            FOR UPDATE""";
    private static final String REPLACE_DEVICE = """
            UPDATE prekey_devices SET registration_id = ?, signed_prekey = ? WHERE user_id = ? AND device_id = ?""";
    private static final String DELETE_KEYS = "DELETE FROM one_time_prekeys WHERE user_id = ? AND device_id = ?";
    private static final String INSERT_KEY =
            "INSERT INTO one_time_prekeys (user_id, device_id, prekey) VALUES (?, ?, ?)";
    private static final String DELETE_DEVICE = "DELETE FROM prekey_devices WHERE user_id = ? AND device_id = ?";
    private static final String SHARE_DEVICES = """
            SELECT device_id, registration_id, signed_prekey FROM prekey_devices WHERE user_id = ?
            ORDER BY device_id FOR SHARE""";
    private static final String TAKE_KEY = """
            DELETE FROM one_time_prekeys WHERE id = (
                SELECT id FROM one_time_prekeys WHERE user_id = ? AND device_id = ?
                ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING prekey""";
    private static final String COUNT_KEYS =
            "SELECT count(*) FROM one_time_prekeys WHERE user_id = ? AND device_id = ?";

    private final HikariDataSource pool;

    private JdbcPreKeyStore(HikariDataSource pool) {
        this.pool = pool;
    }

    /** A builder with the defaults of the settings: local PostgreSQL database {@code test}, user postgres. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder from the {@code sluice.jdbc.*} settings ({@value #URL}, {@value #USER}, {@value #PASSWORD},
     * {@value #SCHEMA}, {@value #POOL_SIZE}, {@value #TIMEOUT}); unset keys keep their defaults.
     *
     * @throws SettingException naming the key, when a value is unusable
     */
    public static Builder builder(Settings settings) {
        Builder builder = builder()
                .user(USER_SETTING.get(settings))
                .password(settings.get(PASSWORD).orElse(""))
                .poolSize(POOL_SIZE_SETTING.get(settings));
        String url = URL_SETTING.get(settings);
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new SettingException(URL, url, "a PostgreSQL JDBC URL, jdbc:postgresql://host:port/database");
        }
        builder.url(url);
        String schema = SCHEMA_SETTING.get(settings);
        if (schema != null && !schema.matches(SCHEMA_NAME)) {
            throw new SettingException(SCHEMA, schema, "a lower-case SQL identifier, [a-z_][a-z0-9_]*");
        }
        builder.schema(schema);
        Duration timeout = TIMEOUT_SETTING.get(settings);
        if (timeout.toMillis() < 250) {
            throw new SettingException(TIMEOUT, settings.string(TIMEOUT, ""), "a duration of at least 250ms");
        }
        return builder.timeout(timeout);
    }

    @Override
    public void register(Address address, Registration registration) {
        byte[] user = address.userId().toByteArray();
        long device = Integer.toUnsignedLong(address.deviceId());
        inTransaction("register", c -> {
            // Two rounds at most: an unregister can delete the row between our insert and our lock.
            for (int round = 0; ; round++) {
                if (insertDevice(c, user, device, registration)) {
                    break;
                }
                Registration onFile = lockDevice(c, user, device);
                if (onFile == null) {
                    if (round > 0) {
                        throw new SQLException("register: device row vanished twice while locking it", "40001");
                    }
                    continue;
                }
                if (!onFile.isContinuedBy(registration)) {
                    replaceDevice(c, user, device, registration);
                }
                break;
            }
            insertKeys(c, user, device, registration.oneTimePreKeys());
            return null;
        });
    }

    @Override
    public void unregister(Address address) {
        inTransaction("unregister", c -> {
            try (PreparedStatement ps = c.prepareStatement(DELETE_DEVICE)) {
                bindDevice(ps, 1, address.userId().toByteArray(), Integer.toUnsignedLong(address.deviceId()));
                ps.executeUpdate(); // the device's keys go with it (ON DELETE CASCADE)
            }
            return null;
        });
    }

    @Override
    public List<PreKeyBundle> claim(PreKeyRequest request) {
        byte[] user = request.userId().toByteArray();
        List<PreKeyBundle> bundles = inTransaction("claim", c -> {
            List<PreKeyBundle> devices = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SHARE_DEVICES)) {
                ps.setBytes(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        devices.add(new PreKeyBundle((int) rs.getLong(1), (int) rs.getLong(2), rs.getBytes(3), null));
                    }
                }
            }
            if (devices.isEmpty()) {
                return null;
            }
            List<PreKeyBundle> claimed = new ArrayList<>();
            try (PreparedStatement take = c.prepareStatement(TAKE_KEY)) {
                for (PreKeyBundle device : devices) {
                    if (request.knownDeviceIds().contains(device.deviceId())) {
                        continue;
                    }
                    bindDevice(take, 1, user, Integer.toUnsignedLong(device.deviceId()));
                    byte[] key = null;
                    try (ResultSet rs = take.executeQuery()) {
                        if (rs.next()) {
                            key = rs.getBytes(1);
                        }
                    }
                    claimed.add(
                            new PreKeyBundle(device.deviceId(), device.registrationId(), device.signedPreKey(), key));
                }
            }
            return claimed;
        });
        if (bundles == null) {
            throw SluiceException.unknownUser(request.userId());
        }
        return bundles;
    }

    @Override
    public int count(Address address) {
        return inTransaction("count", c -> {
            try (PreparedStatement ps = c.prepareStatement(COUNT_KEYS)) {
                bindDevice(ps, 1, address.userId().toByteArray(), Integer.toUnsignedLong(address.deviceId()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Math.toIntExact(rs.getLong(1));
                }
            }
        });
    }

    /** Closes the pool; the store cannot be used afterwards. */
    @Override
    public void close() {
        pool.close();
    }

    private static boolean insertDevice(Connection c, byte[] user, long device, Registration registration)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_DEVICE)) {
            bindDevice(ps, 1, user, device);
            ps.setLong(3, Integer.toUnsignedLong(registration.registrationId()));
            ps.setBytes(4, registration.signedPreKey());
            return ps.executeUpdate() == 1;
        }
    }

    /** The registration on file, without its keys, its row locked until commit; null when there is none. */
    private static Registration lockDevice(Connection c, byte[] user, long device) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOCK_DEVICE)) {
            bindDevice(ps, 1, user, device);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Registration((int) rs.getLong(1), rs.getBytes(2), List.of()) : null;
            }
        }
    }

    private static void replaceDevice(Connection c, byte[] user, long device, Registration registration)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(REPLACE_DEVICE)) {
            ps.setLong(1, Integer.toUnsignedLong(registration.registrationId()));
            ps.setBytes(2, registration.signedPreKey());
            bindDevice(ps, 3, user, device);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(DELETE_KEYS)) {
            bindDevice(ps, 1, user, device);
            ps.executeUpdate();
        }
    }

    private static void insertKeys(Connection c, byte[] user, long device, List<byte[]> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_KEY)) {
            for (byte[] key : keys) {
                bindDevice(ps, 1, user, device);
                ps.setBytes(3, key);
                ps.addBatch();
            }
            int inserted = Arrays.stream(ps.executeBatch()).sum();
            if (inserted != keys.size()) {
                throw new SQLException("register: inserted " + inserted + " of " + keys.size() + " one-time prekeys");
            }
        }
    }

    private static void bindDevice(PreparedStatement ps, int first, byte[] user, long device) throws SQLException {
        ps.setBytes(first, user);
        ps.setLong(first + 1, device);
    }

    /** One unit of work on a connection. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction. A connection that breaks before the commit was sent means the
     * database went away or restarted: the server rolled the transaction back, so it is run once more on a new
     * connection, after evicting the pool's other connections, which are as dead and would otherwise fail one
     * request each. A connection that breaks during the commit leaves the outcome unknown: no second try.
     */
    private <T> T inTransaction(String operation, Work<T> work) {
        try {
            return attempt(work);
        } catch (BrokenBeforeCommit e) {
            pool.getHikariPoolMXBean().softEvictConnections();
            try {
                return attempt(work);
            } catch (BrokenBeforeCommit again) {
                throw unavailable(operation, again.getCause());
            } catch (SQLException again) {
                throw unavailable(operation, again);
            }
        } catch (SQLException e) {
            if (isConnectionFailure(e)) {
                pool.getHikariPoolMXBean().softEvictConnections();
            }
            throw unavailable(operation, e);
        }
    }

    private <T> T attempt(Work<T> work) throws SQLException, BrokenBeforeCommit {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            T result;
            try {
                result = work.run(c);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                if (e instanceof SQLException sql && isConnectionFailure(sql)) {
                    throw new BrokenBeforeCommit(sql);
                }
                throw e;
            }
            try {
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
            return result;
        }
    }

    /** SQLState class 08, connection exception: the connection is gone, whatever the statement was. */
    private static boolean isConnectionFailure(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    /** A connection failure before the commit was sent: nothing was changed. */
    private static final class BrokenBeforeCommit extends Exception {
        private static final long serialVersionUID = 1L;

        BrokenBeforeCommit(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    private static void rollbackQuietly(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e); // the connection is likely gone; the pool will evict it
        }
    }

    /**
     * The driver's messages are safe to show: with {@code logServerErrorDetail=false} they carry no parameter
     * values, so no key material.
     */
    private static SluiceException unavailable(String operation, SQLException e) {
        return SluiceException.unavailable(
                "prekey store (PostgreSQL) failed to " + operation + ": " + e.getMessage()
                        + (e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]"),
                e);
    }

    /**
     * Configures a {@link JdbcPreKeyStore}. Every setter has the default of the matching {@code sluice.jdbc.*}
     * setting; see the connector's README.
     */
    public static final class Builder {
        private String url = "jdbc:postgresql://127.0.0.1:5432/test";
        private String user = "postgres";
        private String password = "";
        private String schema;
        private int poolSize = 10;
        private Duration timeout = Duration.ofSeconds(3);

        private Builder() {}

        /** The JDBC URL of the PostgreSQL database ({@code sluice.jdbc.url}). */
        public Builder url(String url) {
            this.url = Objects.requireNonNull(url, "url");
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("url: '" + url + "' (expected: jdbc:postgresql://host:port/db)");
            }
            return this;
        }

        /** The database user ({@code sluice.jdbc.user}). */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /** The database password ({@code sluice.jdbc.password}); empty for trust or peer authentication. */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * The schema holding the tables ({@code sluice.jdbc.schema}), created when missing; {@code null} for the
         * user's default (usually {@code public}).
         */
        public Builder schema(String schema) {
            if (schema != null && !schema.matches(SCHEMA_NAME)) {
                throw new IllegalArgumentException(
                        "schema: '" + schema + "' (expected: a lower-case SQL identifier, [a-z_][a-z0-9_]*)");
            }
            this.schema = schema;
            return this;
        }

        /** Connections in the pool ({@code sluice.jdbc.pool-size}). */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1 || poolSize > 1000) {
                throw new IllegalArgumentException("poolSize: " + poolSize + " (expected: 1 to 1000)");
            }
            this.poolSize = poolSize;
            return this;
        }

        /**
         * The longest any one wait may take ({@code sluice.jdbc.timeout}): a pool checkout, a connect, a
         * statement (including its lock waits). A down database answers {@code unavailable} after about this.
         */
        public Builder timeout(Duration timeout) {
            if (timeout.toMillis() < 250) {
                throw new IllegalArgumentException("timeout: " + timeout + " (expected: >= 250ms)");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Opens the pool and migrates the schema.
         *
         * @throws SluiceException unavailable when the database cannot be reached or migrated
         */
        public JdbcPreKeyStore build() {
            HikariDataSource pool;
            try {
                pool = new HikariDataSource(hikariConfig());
            } catch (RuntimeException e) {
                throw SluiceException.unavailable(
                        "prekey store (PostgreSQL) at " + url + " cannot be reached: " + e.getMessage(), e);
            }
            try {
                Flyway.configure()
                        .dataSource(pool)
                        .locations(MIGRATIONS)
                        .table(HISTORY_TABLE)
                        .schemas(schema == null ? new String[0] : new String[] {schema})
                        .createSchemas(true)
                        .load()
                        .migrate();
            } catch (FlywayException e) {
                pool.close();
                throw SluiceException.unavailable(
                        "prekey store (PostgreSQL) at " + url + " cannot be migrated: " + e.getMessage(), e);
            }
            return new JdbcPreKeyStore(pool);
        }

        private HikariConfig hikariConfig() {
            long millis = timeout.toMillis();
            int seconds = (int) Math.max(1, (millis + 999) / 1000);
            HikariConfig config = new HikariConfig();
            config.setPoolName("sluice-jdbc-prekeys");
            config.setJdbcUrl(url);
            config.setUsername(user);
            config.setPassword(password);
            config.setMaximumPoolSize(poolSize);
            config.setMinimumIdle(Math.min(2, poolSize));
            config.setConnectionTimeout(millis);
            config.setValidationTimeout(Math.max(250, millis / 2));
            config.setInitializationFailTimeout(millis);
            if (schema != null) {
                config.setSchema(schema);
            }
            // The server gives up on a statement (lock waits included) after the timeout; the socket timeout,
            // one second later, catches a server that stopped answering at all.
            config.setConnectionInitSql("SET statement_timeout = " + millis);
            config.addDataSourceProperty("connectTimeout", seconds);
            config.addDataSourceProperty("loginTimeout", seconds);
            config.addDataSourceProperty("socketTimeout", seconds + 1);
            config.addDataSourceProperty("tcpKeepAlive", true);
            config.addDataSourceProperty("ApplicationName", "sluice");
            // Keeps parameter values (key material) out of exception messages and so out of logs.
            config.addDataSourceProperty("logServerErrorDetail", false);
            return config;
        }
    }
}
