package io.sluice.faults;

import io.sluice.connector.jdbc.JdbcPreKeyStore;
import io.sluice.example.prekeystore.PreKeyStoreServer;
import io.sluice.testkit.PostgresSchemaExtension;
import io.sluice.testkit.TcpProxy;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Network faults between the gateway and an HTTP key store, through routes/rest-prekeys.yaml: the reference store
 * of examples/rest-prekey-store, itself on PostgreSQL.
 */
class RestNetworkFaultsIT extends PreKeyStoreNetworkFaults {
    @RegisterExtension
    static final PostgresSchemaExtension POSTGRES = new PostgresSchemaExtension();

    private static JdbcPreKeyStore keys;
    private static PreKeyStoreServer server;

    @BeforeAll
    static void startStore() {
        keys = JdbcPreKeyStore.builder()
                .url(POSTGRES.url())
                .user(POSTGRES.user())
                .password(POSTGRES.password())
                .schema(POSTGRES.schema())
                .poolSize(8)
                .build();
        server = PreKeyStoreServer.start(
                keys, new InetSocketAddress("127.0.0.1", 0), PreKeyStoreServer.Dialect.CONTRACT);
    }

    @AfterAll
    static void stopStore() {
        if (server != null) {
            server.close();
        }
        if (keys != null) {
            keys.close();
        }
    }

    @Override
    protected Map<String, String> settings(TcpProxy proxy) {
        return Map.of(
                "sluice.routes", "classpath:routes/rest-prekeys.yaml",
                "sluice.rest.url", "http://127.0.0.1:" + proxy.port(),
                "sluice.rest.timeout", "2000");
    }

    @Override
    protected String storeHost() {
        return "127.0.0.1";
    }

    @Override
    protected int storePort() {
        return server.port();
    }

    @Override
    protected String name() {
        return "rest";
    }
}
