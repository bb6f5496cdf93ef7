package io.sluice.routes;

import io.sluice.gateway.Gateway;
import io.sluice.gateway.camel.RoutedPreKeyStore;
import io.sluice.testkit.PostgresSchemaExtension;
import io.sluice.testkit.ProxiedPreKeyStore;
import io.sluice.testkit.ProxiedPreKeyStoreContract;
import io.sluice.testkit.TcpProxy;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The prekey contract through routes/jdbc-prekeys.yaml in a real gateway: the jdbc-prekeys: component found by
 * its scheme and configured by the gateway's settings, the database reached through a {@link TcpProxy}.
 */
class JdbcPreKeysRouteIT extends ProxiedPreKeyStoreContract {
    @RegisterExtension
    @Order(1)
    static final PostgresSchemaExtension POSTGRES = new PostgresSchemaExtension();

    // After the schema it stands on: registered extensions run in @Order.
    @RegisterExtension
    @Order(2)
    static final ProxiedPreKeyStore STORE = ProxiedPreKeyStore.open(fixture -> {
        TcpProxy proxy = fixture.proxyTo(POSTGRES.host(), POSTGRES.port());
        Gateway gateway = fixture.closeAfter(RouteFixtures.gateway(
                fixture.directory(),
                "jdbc-prekeys.yaml",
                Map.of(
                        "sluice.jdbc.url", POSTGRES.url("127.0.0.1", proxy.port()),
                        "sluice.jdbc.user", POSTGRES.user(),
                        "sluice.jdbc.schema", POSTGRES.schema(),
                        "sluice.jdbc.pool-size", "8",
                        "sluice.jdbc.timeout", "2s")));
        return new RoutedPreKeyStore(gateway.backend());
    });

    @Override
    protected ProxiedPreKeyStore fixture() {
        return STORE;
    }
}
