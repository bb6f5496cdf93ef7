package io.sluice.faults;

import io.sluice.testkit.PostgresSchemaExtension;
import io.sluice.testkit.TcpProxy;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Network faults between the gateway and PostgreSQL, through routes/jdbc-prekeys.yaml. */
class JdbcNetworkFaultsIT extends PreKeyStoreNetworkFaults {
    @RegisterExtension
    static final PostgresSchemaExtension POSTGRES = new PostgresSchemaExtension();

    @Override
    protected Map<String, String> settings(TcpProxy proxy) {
        return Map.of(
                "sluice.routes", "classpath:routes/jdbc-prekeys.yaml",
                "sluice.jdbc.url", POSTGRES.url("127.0.0.1", proxy.port()),
                "sluice.jdbc.user", POSTGRES.user(),
                "sluice.jdbc.password", POSTGRES.password(),
                "sluice.jdbc.schema", POSTGRES.schema(),
                "sluice.jdbc.pool-size", "8",
                "sluice.jdbc.timeout", "2s");
    }

    @Override
    protected String storeHost() {
        return POSTGRES.host();
    }

    @Override
    protected int storePort() {
        return POSTGRES.port();
    }

    @Override
    protected String name() {
        return "jdbc";
    }
}
