package io.sluice.routes;

import io.sluice.connector.jdbc.JdbcPreKeyStore;
import io.sluice.example.prekeystore.PreKeyStoreServer;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.camel.RoutedPreKeyStore;
import io.sluice.spi.PreKeyStore;
import io.sluice.testkit.BackendControl;
import io.sluice.testkit.PostgresSchemaExtension;
import io.sluice.testkit.PreKeyStoreContract;
import io.sluice.testkit.TcpProxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prekey contract through routes/rest-prekeys.yaml in a real gateway: each call is an exchange through the
 * route, real HTTP over loopback to the reference server, which keeps the keys in the real PostgreSQL. The
 * outage test cuts the HTTP path with a {@link TcpProxy}.
 */
class RestPreKeyStoreIT extends PreKeyStoreContract {
    @RegisterExtension
    static final PostgresSchemaExtension POSTGRES = new PostgresSchemaExtension();

    @TempDir
    static Path dataDir;

    private static JdbcPreKeyStore keys;
    private static PreKeyStoreServer server;
    private static TcpProxy proxy;
    private static Gateway gateway;
    private static PreKeyStore store;

    @BeforeAll
    static void start() throws Exception {
        keys = JdbcPreKeyStore.builder()
                .url(POSTGRES.url())
                .user(POSTGRES.user())
                .schema(POSTGRES.schema())
                .poolSize(8)
                .build();
        server = PreKeyStoreServer.start(
                keys, new InetSocketAddress("127.0.0.1", 0), PreKeyStoreServer.Dialect.CONTRACT);
        proxy = TcpProxy.to("127.0.0.1", server.port());
        gateway = RouteFixtures.gateway(
                dataDir,
                "rest-prekeys.yaml",
                Map.of("sluice.rest.url", "http://127.0.0.1:" + proxy.port(), "sluice.rest.timeout", "1000"));
        store = new RoutedPreKeyStore(gateway.backend());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
        if (keys != null) {
            keys.close();
        }
    }

    @Override
    protected PreKeyStore store() {
        return store;
    }

    @Override
    protected BackendControl backend() {
        return proxy;
    }

    @Override
    protected Duration outageTimeout() {
        return Duration.ofSeconds(5);
    }
}
