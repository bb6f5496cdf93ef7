package io.sluice.routes;

import io.sluice.connector.jdbc.JdbcPreKeyStore;
import io.sluice.example.prekeystore.PreKeyStoreServer;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.camel.RoutedPreKeyStore;
import io.sluice.testkit.PostgresSchemaExtension;
import io.sluice.testkit.ProxiedPreKeyStore;
import io.sluice.testkit.ProxiedPreKeyStoreContract;
import io.sluice.testkit.TcpProxy;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The prekey contract through routes/rest-prekeys.yaml in a real gateway: each call is an exchange through the
 * route, real HTTP over loopback to the reference server, which keeps the keys in the real PostgreSQL. The
 * outage test cuts the HTTP path with a {@link TcpProxy}.
 */
class RestPreKeyStoreIT extends ProxiedPreKeyStoreContract {
    @RegisterExtension
    @Order(1)
    static final PostgresSchemaExtension POSTGRES = new PostgresSchemaExtension();

    // After the schema it stands on: registered extensions run in @Order.
    @RegisterExtension
    @Order(2)
    static final ProxiedPreKeyStore STORE = ProxiedPreKeyStore.open(fixture -> {
        JdbcPreKeyStore keys = fixture.closeAfter(JdbcPreKeyStore.builder()
                .url(POSTGRES.url())
                .user(POSTGRES.user())
                .schema(POSTGRES.schema())
                .poolSize(8)
                .build());
        PreKeyStoreServer server = fixture.closeAfter(PreKeyStoreServer.start(
                keys, new InetSocketAddress("127.0.0.1", 0), PreKeyStoreServer.Dialect.CONTRACT));
        TcpProxy proxy = fixture.proxyTo("127.0.0.1", server.port());
        Gateway gateway = fixture.closeAfter(RouteFixtures.gateway(
                fixture.directory(),
                "rest-prekeys.yaml",
                Map.of("sluice.rest.url", "http://127.0.0.1:" + proxy.port(), "sluice.rest.timeout", "1000")));
        return new RoutedPreKeyStore(gateway.backend());
    });

    @Override
    protected ProxiedPreKeyStore fixture() {
        return STORE;
    }
}
