package io.sluice.routes;

import io.sluice.gateway.Gateway;
import io.sluice.gateway.camel.RoutedPreKeyStore;
import io.sluice.spi.PreKeyStore;
import io.sluice.testkit.BackendControl;
import io.sluice.testkit.PostgresSchemaExtension;
import io.sluice.testkit.PreKeyStoreContract;
import io.sluice.testkit.TcpProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prekey contract through routes/jdbc-prekeys.yaml in a real gateway: the jdbc-prekeys: component found by
 * its scheme and configured by the gateway's settings, the database reached through a {@link TcpProxy}.
 */
class JdbcPreKeysRouteIT extends PreKeyStoreContract {
    @RegisterExtension
    static final PostgresSchemaExtension POSTGRES = new PostgresSchemaExtension();

    @TempDir
    static Path dataDir;

    private static TcpProxy proxy;
    private static Gateway gateway;
    private static PreKeyStore store;

    @BeforeAll
    static void start() throws Exception {
        proxy = TcpProxy.to(POSTGRES.host(), POSTGRES.port());
        gateway = RouteFixtures.gateway(
                dataDir,
                "jdbc-prekeys.yaml",
                Map.of(
                        "sluice.jdbc.url", POSTGRES.url("127.0.0.1", proxy.port()),
                        "sluice.jdbc.user", POSTGRES.user(),
                        "sluice.jdbc.schema", POSTGRES.schema(),
                        "sluice.jdbc.pool-size", "8",
                        "sluice.jdbc.timeout", "2s"));
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
