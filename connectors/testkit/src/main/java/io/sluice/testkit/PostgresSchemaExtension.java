package io.sluice.testkit;

import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh PostgreSQL schema for one test class on the real server, dropped with everything in it afterwards.
 * The server is {@code jdbc:postgresql://127.0.0.1:5432/test} as user {@code postgres}, unless the system
 * properties {@code sluice.test.jdbc.url}, {@code sluice.test.jdbc.user} and {@code sluice.test.jdbc.password}
 * say otherwise. The test's classpath needs the PostgreSQL JDBC driver.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresSchemaExtension POSTGRES = new PostgresSchemaExtension();
 * ...
 * JdbcPreKeyStore.builder().url(POSTGRES.url()).schema(POSTGRES.schema()) ...
 * }</pre>
 */
public final class PostgresSchemaExtension implements BeforeAllCallback, AfterAllCallback {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String url = System.getProperty("sluice.test.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private final String user = System.getProperty("sluice.test.jdbc.user", "postgres");
    private final String password = System.getProperty("sluice.test.jdbc.password", "");
    private String schema;

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        String owner = context.getRequiredTestClass()
                .getSimpleName()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "");
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        // Unique per run, so that parallel builds on one server (or a crashed run's leftovers) never collide.
        schema = "it_" + owner.substring(0, Math.min(owner.length(), 40)) + "_"
                + HexFormat.of().formatHex(suffix);
        execute("CREATE SCHEMA " + schema);
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        if (schema != null) {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            schema = null;
        }
    }

    /** The schema this test class owns; a plain lower-case identifier, safe to put into SQL unquoted. */
    public String schema() {
        if (schema == null) {
            throw new IllegalStateException("no schema: register the extension with @RegisterExtension on a "
                    + "static field, and use it from tests or @BeforeAll");
        }
        return schema;
    }

    /** The server's JDBC URL (without the schema). */
    public String url() {
        return url;
    }

    /** The server's JDBC URL with its host and port replaced, e.g. to go through a {@link TcpProxy}. */
    public String url(String host, int port) {
        URI uri = URI.create(url.substring("jdbc:".length()));
        return "jdbc:" + uri.getScheme() + "://" + host + ":" + port + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** The server's host, as in {@link #url()}. */
    public String host() {
        return URI.create(url.substring("jdbc:".length())).getHost();
    }

    /** The server's port, as in {@link #url()}. */
    public int port() {
        int port = URI.create(url.substring("jdbc:".length())).getPort();
        return port < 0 ? 5432 : port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A new connection to the server with the search path on this class's schema, for assertions on tables. */
    public Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url, user, password);
        connection.setSchema(schema());
        return connection;
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
