package io.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.spi.Address;
import io.sluice.spi.ErrorName;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.PreKeyStore;
import io.sluice.spi.SluiceException;
import io.sluice.spi.UserId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link PreKeyStore}. A connector proves its store by extending this class:
 *
 * <pre>{@code
 * class JdbcPreKeyStoreIT extends PreKeyStoreContract {
 *     protected PreKeyStore store() { return store; }
 *     protected BackendControl backend() { return postgres; }
 * }
 * }</pre>
 *
 * Each test uses fresh users, so one store may serve all tests of a class.
 */
public abstract class PreKeyStoreContract {

    /** The store under test, ready to use. */
    protected abstract PreKeyStore store();

    /** Takes the store's backend down and back, for the outage tests. */
    protected abstract BackendControl backend();

    /** How long an outage may take to answer {@code unavailable}. */
    protected Duration outageTimeout() {
        return Duration.ofSeconds(10);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void claimReturnsRegistrationWithOneOneTimeKey() {
        Address device = TestKeys.address(1);
        store().register(device, TestKeys.registration(7, "signed", "otk", 3));

        List<PreKeyBundle> bundles = store().claim(new PreKeyRequest(device.userId(), Set.of()));

        assertThat(bundles).singleElement().satisfies(b -> {
            assertThat(b.deviceId()).isEqualTo(1);
            assertThat(b.registrationId()).isEqualTo(7);
            assertThat(text(b.signedPreKey())).isEqualTo("signed");
            assertThat(text(b.oneTimePreKey())).startsWith("otk-");
        });
        assertThat(store().count(device)).isEqualTo(2);
    }

    @Test
    void handsOutEachOneTimeKeyOnceThenNone() {
        Address device = TestKeys.address(1);
        store().register(device, TestKeys.registration(1, "signed", "k", 3));
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            seen.add(text(store().claim(new PreKeyRequest(device.userId(), Set.of()))
                    .get(0)
                    .oneTimePreKey()));
        }
        assertThat(seen.subList(0, 3)).containsExactlyInAnyOrder("k-0", "k-1", "k-2");
        assertThat(seen.subList(3, 5)).containsOnlyNulls();
        assertThat(store().count(device)).isZero();
    }

    @Test
    void deviceWithoutOneTimeKeysIsStillReturned() {
        Address device = TestKeys.address(3);
        store().register(device, TestKeys.registration(5, "signed", "none", 0));

        assertThat(store().claim(new PreKeyRequest(device.userId(), Set.of())))
                .singleElement()
                .satisfies(b -> {
                    assertThat(b.deviceId()).isEqualTo(3);
                    assertThat(b.oneTimePreKey()).isNull();
                });
    }

    @Test
    void sameRegistrationAppendsOneTimeKeys() {
        Address device = TestKeys.address(1);
        store().register(device, TestKeys.registration(9, "signed", "a", 2));
        store().register(device, TestKeys.registration(9, "signed", "b", 3));

        assertThat(store().count(device)).isEqualTo(5);
    }

    @Test
    void otherSignedPreKeyReplacesRegistration() {
        Address device = TestKeys.address(1);
        store().register(device, TestKeys.registration(9, "signed-1", "old", 4));
        store().register(device, TestKeys.registration(9, "signed-2", "new", 1));

        assertThat(store().count(device)).isEqualTo(1);
        PreKeyBundle bundle =
                store().claim(new PreKeyRequest(device.userId(), Set.of())).get(0);
        assertThat(text(bundle.signedPreKey())).isEqualTo("signed-2");
        assertThat(text(bundle.oneTimePreKey())).isEqualTo("new-0");
    }

    @Test
    void otherRegistrationIdReplacesRegistration() {
        Address device = TestKeys.address(1);
        store().register(device, TestKeys.registration(1, "signed", "old", 4));
        store().register(device, TestKeys.registration(2, "signed", "new", 2));

        assertThat(store().count(device)).isEqualTo(2);
        assertThat(store().claim(new PreKeyRequest(device.userId(), Set.of()))
                        .get(0)
                        .registrationId())
                .isEqualTo(2);
    }

    @Test
    void claimReturnsEveryDeviceExceptKnownOnes() {
        UserId user = TestKeys.userId();
        for (int device = 1; device <= 3; device++) {
            store().register(new Address(user, device), TestKeys.registration(device, "s" + device, "d" + device, 2));
        }

        List<PreKeyBundle> bundles = store().claim(new PreKeyRequest(user, Set.of(2)));

        assertThat(bundles).extracting(PreKeyBundle::deviceId).containsExactlyInAnyOrder(1, 3);
        assertThat(store().count(new Address(user, 2)))
                .as("known devices give up no key")
                .isEqualTo(2);
        assertThat(store().count(new Address(user, 1))).isEqualTo(1);
    }

    @Test
    void allDevicesKnownReturnsNothing() {
        Address device = TestKeys.address(4);
        store().register(device, TestKeys.registration(1, "s", "k", 1));

        assertThat(store().claim(new PreKeyRequest(device.userId(), Set.of(4)))).isEmpty();
        assertThat(store().count(device)).isEqualTo(1);
    }

    @Test
    void unknownUserIsAnError() {
        assertThatThrownBy(() -> store().claim(new PreKeyRequest(TestKeys.userId(), Set.of())))
                .isInstanceOfSatisfying(
                        SluiceException.class, e -> assertThat(e.errorName()).isEqualTo(ErrorName.UNKNOWN_USER));
    }

    @Test
    void unregisterRemovesDeviceAndItsKeys() {
        Address device = TestKeys.address(1);
        Address other = new Address(device.userId(), 2);
        store().register(device, TestKeys.registration(1, "s", "k", 3));
        store().register(other, TestKeys.registration(2, "s", "o", 1));

        store().unregister(device);

        assertThat(store().count(device)).isZero();
        assertThat(store().claim(new PreKeyRequest(device.userId(), Set.of())))
                .extracting(PreKeyBundle::deviceId)
                .containsExactly(2);
        store().unregister(other);
        assertThatThrownBy(() -> store().claim(new PreKeyRequest(device.userId(), Set.of())))
                .isInstanceOf(SluiceException.class);
    }

    @Test
    void unregisterOfUnknownDeviceIsNoOp() {
        store().unregister(TestKeys.address(1));
    }

    @Test
    void countOfUnknownDeviceIsZero() {
        assertThat(store().count(TestKeys.address(1))).isZero();
    }

    @Test
    void concurrentClaimsNeverHandOutAKeyTwice() throws Exception {
        Address device = TestKeys.address(1);
        store().register(device, TestKeys.registration(1, "s", "key", 10));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<PreKeyBundle>> claims = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                claims.add(() -> store().claim(new PreKeyRequest(device.userId(), Set.of()))
                        .get(0));
            }
            List<String> keys = new ArrayList<>();
            int withoutKey = 0;
            for (Future<PreKeyBundle> f : pool.invokeAll(claims)) {
                byte[] key = f.get().oneTimePreKey();
                if (key == null) {
                    withoutKey++;
                } else {
                    keys.add(text(key));
                }
            }
            assertThat(keys).hasSize(10).doesNotHaveDuplicates();
            assertThat(withoutKey).isEqualTo(40);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void outageAnswersUnavailableAndStoreRecovers() throws Exception {
        Address device = TestKeys.address(1);
        store().register(device, TestKeys.registration(1, "s", "k", 2));
        backend().takeDown();
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> store().claim(new PreKeyRequest(device.userId(), Set.of())))
                    .isInstanceOfSatisfying(
                            SluiceException.class,
                            e -> assertThat(e.errorName()).isEqualTo(ErrorName.UNAVAILABLE));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(outageTimeout());
        } finally {
            backend().bringBack();
        }
        // Recovering may take a reconnect: unavailable meanwhile is fine, anything else is not.
        org.awaitility.Awaitility.await()
                .atMost(outageTimeout())
                .ignoreExceptionsMatching(e -> e instanceof SluiceException s && s.errorName() == ErrorName.UNAVAILABLE)
                .untilAsserted(() -> assertThat(store().count(device)).isEqualTo(2));
    }
}
