package io.sluice.testkit;

import io.sluice.spi.PreKeyStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fixture of a {@link ProxiedPreKeyStoreContract}: a store whose backend is reached through a {@link TcpProxy},
 * so that the outage tests really lose it, set up once per test class and closed after it, everything in the reverse
 * order it was opened.
 *
 * Register it after the extensions it stands on, with {@code @Order}:
 *
 * <pre>{@code
 * @RegisterExtension
 * @Order(2)
 * static final ProxiedPreKeyStore STORE = ProxiedPreKeyStore.open(fixture -> {
 *     TcpProxy proxy = fixture.proxyTo(POSTGRES.host(), POSTGRES.port());
 *     return fixture.closeAfter(JdbcPreKeyStore.builder().url(POSTGRES.url("127.0.0.1", proxy.port())).build());
 * });
 * }</pre>
 */
public final class ProxiedPreKeyStore implements BeforeAllCallback, AfterAllCallback {
    /** Opens the store, and whatever it stands on, through the fixture. */
    @FunctionalInterface
    public interface Opening {
        PreKeyStore open(Fixture fixture) throws Exception;
    }

    private final Opening opening;
    private final Duration outageTimeout;
    private Fixture fixture;
    private PreKeyStore store;

    private ProxiedPreKeyStore(Opening opening, Duration outageTimeout) {
        this.opening = opening;
        this.outageTimeout = outageTimeout;
    }

    /** A store opened before the class's tests, with a five-second outage timeout. */
    public static ProxiedPreKeyStore open(Opening opening) {
        return new ProxiedPreKeyStore(opening, Duration.ofSeconds(5));
    }

    /** The same fixture with another limit on how long an outage may take to answer {@code unavailable}. */
    public ProxiedPreKeyStore outageTimeout(Duration timeout) {
        return new ProxiedPreKeyStore(opening, timeout);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        fixture = new Fixture();
        try {
            store = opening.open(fixture);
        } catch (Exception | Error e) {
            fixture.close();
            throw e;
        }
        if (fixture.proxy == null) {
            fixture.close();
            throw new IllegalStateException(
                    "the store was opened without fixture.proxyTo(…): outages cannot be tested");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** The store under test. */
    public PreKeyStore store() {
        return store;
    }

    /** The proxy in front of its backend: cut it to take the backend away. */
    public TcpProxy proxy() {
        return fixture.proxy;
    }

    /** How long an outage may take to answer {@code unavailable}. */
    public Duration outageTimeout() {
        return outageTimeout;
    }

    /** What the store is built from: the proxy, a scratch directory, and everything to close afterwards. */
    public static final class Fixture implements AutoCloseable {
        private final Deque<AutoCloseable> opened = new ArrayDeque<>();
        private TcpProxy proxy;
        private Path directory;

        private Fixture() {}

        /** A proxy to the backend, on a free port of 127.0.0.1; the store must reach the backend through it. */
        public TcpProxy proxyTo(String host, int port) {
            if (proxy != null) {
                throw new IllegalStateException("one proxy per store");
            }
            proxy = closeAfter(TcpProxy.to(host, port));
            return proxy;
        }

        /** Closes {@code resource} after the class's tests, before what was opened earlier. */
        public <T extends AutoCloseable> T closeAfter(T resource) {
            opened.push(resource);
            return resource;
        }

        /** A directory of this class's own (a gateway's data directory), deleted afterwards. */
        public Path directory() throws IOException {
            if (directory == null) {
                directory = Files.createTempDirectory("sluice-store-");
                Path created = directory;
                opened.addLast(() -> delete(created));
            }
            return directory;
        }

        @Override
        public void close() throws Exception {
            Exception first = null;
            while (!opened.isEmpty()) {
                try {
                    opened.pop().close();
                } catch (Exception e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }

        private static void delete(Path dir) throws IOException {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
