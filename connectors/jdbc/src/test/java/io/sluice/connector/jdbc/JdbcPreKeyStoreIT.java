package io.sluice.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Address;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.testkit.PostgresSchemaExtension;
import io.sluice.testkit.ProxiedPreKeyStore;
import io.sluice.testkit.ProxiedPreKeyStoreContract;
import io.sluice.testkit.TcpProxy;
import io.sluice.testkit.TestKeys;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The prekey contract on the real PostgreSQL, in a schema of its own, with the pool going through a
 * {@link TcpProxy} so the outage test really loses the database.
 */
class JdbcPreKeyStoreIT extends ProxiedPreKeyStoreContract {
    @RegisterExtension
    @Order(1)
    static final PostgresSchemaExtension POSTGRES = new PostgresSchemaExtension();

    /** Two seconds of pool timeout: an outage answers within the fixture's five, never the contract's ten. */
    // After the schema it stands on: registered extensions run in @Order.
    @RegisterExtension
    @Order(2)
    static final ProxiedPreKeyStore STORE = ProxiedPreKeyStore.open(fixture -> {
        TcpProxy proxy = fixture.proxyTo(POSTGRES.host(), POSTGRES.port());
        return fixture.closeAfter(storeAt(POSTGRES.url("127.0.0.1", proxy.port())));
    });

    private static JdbcPreKeyStore storeAt(String url) {
        return JdbcPreKeyStore.builder()
                .url(url)
                .user(POSTGRES.user())
                .password(POSTGRES.password())
                .schema(POSTGRES.schema())
                .poolSize(8)
                .timeout(Duration.ofSeconds(2))
                .build();
    }

    @Override
    protected ProxiedPreKeyStore fixture() {
        return STORE;
    }

    @Test
    void twoGatewaysOnOneDatabaseNeverHandOutAKeyTwice() throws Exception {
        Address device = TestKeys.address(1);
        Address second = new Address(device.userId(), 2);
        store().register(device, TestKeys.registration(1, "s", "one", 20));
        store().register(second, TestKeys.registration(2, "s", "two", 20));
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try (JdbcPreKeyStore gatewayA = storeAt(POSTGRES.url());
                JdbcPreKeyStore gatewayB = storeAt(POSTGRES.url())) {
            List<Callable<List<PreKeyBundle>>> claims = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                JdbcPreKeyStore gateway = i % 2 == 0 ? gatewayA : gatewayB;
                claims.add(() -> gateway.claim(new PreKeyRequest(device.userId(), Set.of())));
            }
            List<String> keys = new ArrayList<>();
            for (Future<List<PreKeyBundle>> claim : threads.invokeAll(claims)) {
                List<PreKeyBundle> bundles = claim.get();
                assertThat(bundles).extracting(PreKeyBundle::deviceId).containsExactlyInAnyOrder(1, 2);
                bundles.stream()
                        .filter(b -> b.oneTimePreKey() != null)
                        .forEach(b -> keys.add(new String(b.oneTimePreKey(), StandardCharsets.UTF_8)));
            }
            assertThat(keys).hasSize(40).doesNotHaveDuplicates();
            assertThat(store().count(device)).isZero();
            assertThat(store().count(second)).isZero();
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void concurrentRegistersOfOneDeviceEndWithOneRegistrationAndItsKeys() throws Exception {
        Address device = TestKeys.address(1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> registers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                // Half continue one registration (appending), half replace it with their own.
                registers.add(() -> {
                    store().register(
                                    device,
                                    n % 2 == 0
                                            ? TestKeys.registration(1, "same", "k" + n, 3)
                                            : TestKeys.registration(100 + n, "other-" + n, "k" + n, 3));
                    return null;
                });
            }
            for (Future<Void> f : threads.invokeAll(registers)) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        // Whatever the order, the keys on file all belong to the registration on file.
        PreKeyBundle bundle =
                store().claim(new PreKeyRequest(device.userId(), Set.of())).get(0);
        String signed = new String(bundle.signedPreKey(), StandardCharsets.UTF_8);
        int remaining = store().count(device);
        if (signed.equals("same")) {
            assertThat(remaining + 1).isIn(3, 6, 9, 12);
        } else {
            assertThat(remaining + 1).isEqualTo(3);
            assertThat(new String(bundle.oneTimePreKey(), StandardCharsets.UTF_8))
                    .startsWith("k" + (bundle.registrationId() - 100) + "-");
        }
    }

    @Test
    void schemaComesFromVersionedMigrations() throws Exception {
        try (Connection c = POSTGRES.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, success FROM " + POSTGRES.schema() + "."
                        + JdbcPreKeyStore.HISTORY_TABLE + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("1");
            assertThat(rs.getBoolean(2)).isTrue();
        }
    }
}
