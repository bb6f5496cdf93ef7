package io.sluice.example.legacy;

import io.sluice.connector.jdbc.JdbcPreKeyStore;
import io.sluice.example.prekeystore.PreKeyStoreServer;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.camel.RoutedPreKeyStore;
import io.sluice.spi.Settings;
import io.sluice.testkit.PostgresSchemaExtension;
import io.sluice.testkit.ProxiedPreKeyStore;
import io.sluice.testkit.ProxiedPreKeyStoreContract;
import io.sluice.testkit.TcpProxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The prekey contract through legacy-prekeys.yaml: a real gateway, real HTTP to the reference server in its
 * legacy ("keyserv") dialect, real PostgreSQL. Proves the adaptation needs the route file only.
 */
class LegacyRestPreKeysIT extends ProxiedPreKeyStoreContract {
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
        PreKeyStoreServer server = fixture.closeAfter(
                PreKeyStoreServer.start(keys, new InetSocketAddress("127.0.0.1", 0), PreKeyStoreServer.Dialect.LEGACY));
        TcpProxy proxy = fixture.proxyTo("127.0.0.1", server.port());
        Gateway gateway = fixture.closeAfter(Gateway.start(Settings.of(Map.of(
                "sluice.host",
                "127.0.0.1",
                "sluice.port",
                "0",
                "sluice.admin.port",
                "0",
                "sluice.data-dir",
                fixture.directory().toString(),
                "sluice.routes",
                Path.of("legacy-prekeys.yaml").toAbsolutePath().toString(),
                "sluice.rest.url",
                "http://127.0.0.1:" + proxy.port(),
                "sluice.rest.timeout",
                "1000"))));
        return new RoutedPreKeyStore(gateway.backend());
    });

    @Override
    protected ProxiedPreKeyStore fixture() {
        return STORE;
    }
}
