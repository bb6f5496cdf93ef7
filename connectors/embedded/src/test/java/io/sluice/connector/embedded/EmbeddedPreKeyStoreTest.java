package io.sluice.connector.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Address;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.PreKeyStore;
import io.sluice.testkit.BackendControl;
import io.sluice.testkit.PreKeyStoreContract;
import io.sluice.testkit.TestKeys;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedPreKeyStoreTest extends PreKeyStoreContract {
    @TempDir
    static Path dir;

    private EmbeddedPreKeyStore store;

    @BeforeAll
    void open() {
        store = EmbeddedPreKeyStore.open(dir, false);
    }

    @AfterAll
    void close() {
        store.close();
    }

    @Override
    protected PreKeyStore store() {
        return store;
    }

    @Override
    protected BackendControl backend() {
        return new BackendControl() {
            @Override
            public void takeDown() {
                store.close();
            }

            @Override
            public void bringBack() {
                store.reopen();
            }
        };
    }

    @Test
    void registrationsAndRemainingKeysSurviveReopen() {
        Address device = TestKeys.address(2);
        store.register(device, TestKeys.registration(3, "s", "k", 4));
        store.claim(new PreKeyRequest(device.userId(), Set.of()));

        store.close();
        store.reopen();

        assertThat(store.count(device)).isEqualTo(3);
        assertThat(store.claim(new PreKeyRequest(device.userId(), Set.of()))
                        .get(0)
                        .oneTimePreKey())
                .asString()
                .isEqualTo("k-1");
    }
}
