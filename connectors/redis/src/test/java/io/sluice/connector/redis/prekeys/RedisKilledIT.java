package io.sluice.connector.redis.prekeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.connector.redis.TestRedis;
import io.sluice.spi.Address;
import io.sluice.spi.ErrorName;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.SluiceException;
import io.sluice.testing.redis.RedisServer;
import io.sluice.testkit.TestKeys;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Redis killed with -9: every operation answers {@code unavailable} at once (well within a client's deadline); once
 * it is back (empty: no AOF), the same store works again without being reopened.
 */
class RedisKilledIT {
    @Test
    void everyOperationAnswersUnavailablePromptlyThenTheStoreRecovers() {
        Address device = TestKeys.address(1);
        try (RedisServer server = RedisServer.start();
                RedisPreKeyStore store = RedisPreKeyStore.open(TestRedis.standalone(server.uri()))) {
            store.register(device, TestKeys.registration(1, "s", "k", 2));

            server.kill9();

            List<ThrowingCallable> operations = List.of(
                    () -> store.register(device, TestKeys.registration(1, "s", "k", 1)),
                    () -> store.unregister(device),
                    () -> store.claim(new PreKeyRequest(device.userId(), Set.of())),
                    () -> store.count(device));
            for (ThrowingCallable operation : operations) {
                long start = System.nanoTime();
                assertThatThrownBy(operation)
                        .isInstanceOfSatisfying(
                                SluiceException.class,
                                e -> assertThat(e.errorName()).isEqualTo(ErrorName.UNAVAILABLE));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            }

            server.restart();

            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
                store.register(device, TestKeys.registration(1, "s", "again", 1));
                assertThat(store.count(device)).isEqualTo(1);
            });
            assertThat(store.claim(new PreKeyRequest(device.userId(), Set.of()))
                            .getFirst()
                            .oneTimePreKey())
                    .asString()
                    .isEqualTo("again-0");
        }
    }
}
