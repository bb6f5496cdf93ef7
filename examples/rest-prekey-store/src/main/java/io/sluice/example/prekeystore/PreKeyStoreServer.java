package io.sluice.example.prekeystore;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.connector.jdbc.JdbcPreKeyStore;
import io.sluice.spi.ErrorName;
import io.sluice.spi.PreKeyStore;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import io.sluice.spi.SluiceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reference server of the REST prekey-store contract ({@code connectors/rest/openapi.yaml}) on the JDK's HTTP
 * server, storing keys in PostgreSQL through the JDBC connector's {@link JdbcPreKeyStore}.
 *
 * <pre>{@code
 * try (PreKeyStoreServer server = PreKeyStoreServer.start(store, new InetSocketAddress("127.0.0.1", 0),
 *         PreKeyStoreServer.Dialect.CONTRACT)) {
 *     URI base = server.uri();   // http://127.0.0.1:<port>
 * }
 * }</pre>
 *
 * Run from the command line with {@link #main(String[])}; see the README beside the pom.
 */
public final class PreKeyStoreServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PreKeyStoreServer.class);

    /** Which API the server speaks. */
    public enum Dialect {
        /** The contract of {@code connectors/rest/openapi.yaml}. */
        CONTRACT,
        /** A made-up older key server with other paths and shapes, for {@code examples/rest-legacy}. */
        LEGACY
    }

    /** One dialect's requests; answers false when a request is none of its own. */
    interface Api {
        boolean handle(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService threads;

    private PreKeyStoreServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Starts serving {@code store} at {@code address} (port 0 picks a free one). */
    public static PreKeyStoreServer start(PreKeyStore store, InetSocketAddress address, Dialect dialect) {
        Api api = dialect == Dialect.CONTRACT ? new ContractHandler(store) : new LegacyHandler(store);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            HttpServer server = HttpServer.create(address, 128);
            server.createContext("/", exchange -> serve(api, exchange));
            server.setExecutor(threads);
            server.start();
            return new PreKeyStoreServer(server, threads);
        } catch (IOException e) {
            threads.shutdownNow();
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The server's base URI, {@code http://host:port}. */
    public URI uri() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port());
    }

    /** Stops at once: requests in flight are cut. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void serve(Api api, HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                if (!api.handle(exchange)) {
                    HttpJson.sendError(
                            exchange,
                            404,
                            ErrorName.INVALID_MESSAGE,
                            "no such resource: " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
                }
            } catch (SluiceException e) {
                HttpJson.sendError(exchange, status(e.errorName()), e.errorName(), e.description());
            } catch (RuntimeException e) {
                // The path names a user: logged as its template, never with the user id.
                LOG.warn(
                        "{} {} failed",
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath().replaceAll("/[A-Za-z0-9_=-]{44,}", "/{userId}"),
                        e);
                HttpJson.sendError(
                        exchange, 500, ErrorName.UNKNOWN_ERROR, e.getClass().getSimpleName());
            }
        }
    }

    private static int status(ErrorName name) {
        return switch (name) {
            case UNKNOWN_USER -> 404;
            case INVALID_MESSAGE, INVALID_USER_ID -> 400;
            case UNAVAILABLE -> 503;
            default -> 500;
        };
    }

    /**
     * Runs the server until the process is stopped. Settings, as system properties or environment variables
     * ({@code sluice.rest-store.port} or {@code SLUICE_REST_STORE_PORT}): {@code sluice.rest-store.host}
     * (127.0.0.1), {@code sluice.rest-store.port} (8081), {@code sluice.rest-store.dialect} (contract or legacy),
     * and the JDBC connector's {@code sluice.jdbc.*}.
     */
    public static void main(String[] args) {
        Settings settings = systemSettings();
        try {
            String host = settings.string("sluice.rest-store.host", "127.0.0.1");
            int port = settings.integer("sluice.rest-store.port", 8081, 0, 65535);
            String dialectName = settings.string("sluice.rest-store.dialect", "contract");
            Dialect dialect = switch (dialectName.toLowerCase(Locale.ROOT)) {
                case "contract" -> Dialect.CONTRACT;
                case "legacy" -> Dialect.LEGACY;
                default -> throw new SettingException("sluice.rest-store.dialect", dialectName, "contract or legacy");
            };
            JdbcPreKeyStore store = JdbcPreKeyStore.builder(settings).build();
            PreKeyStoreServer server = start(store, new InetSocketAddress(host, port), dialect);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                server.close();
                                store.close();
                            },
                            "shutdown"));
            LOG.info("prekey store ({} dialect) listening on {}", dialectName, server.uri());
        } catch (SettingException | SluiceException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    /** Settings from system properties, then environment variables named like {@code SLUICE_JDBC_URL}. */
    static Settings systemSettings() {
        return new Settings() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(System.getProperty(key))
                        .or(() -> Optional.ofNullable(System.getenv(
                                key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'))));
            }

            @Override
            public Map<String, String> withPrefix(String prefix) {
                return System.getProperties().stringPropertyNames().stream()
                        .filter(k -> k.startsWith(prefix))
                        .collect(Collectors.toMap(k -> k, System::getProperty));
            }
        };
    }
}
