package io.sluice.connector.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.connector.redis.prekeys.RedisPreKeyStore;
import io.sluice.spi.Address;
import io.sluice.testing.redis.RedisServer;
import io.sluice.testkit.TcpProxy;
import io.sluice.testkit.TestKeys;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Redis that was out of reach for a while serves again within about a second of coming back: the reconnect
 * backoff is capped, not Lettuce's default that grows to 30 s, so a gateway does not answer {@code unavailable}
 * long after its Redis is fine again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisReconnectIT {
    private static final Duration OUTAGE = Duration.ofSeconds(6);

    private RedisServer server;
    private TcpProxy proxy;
    private RedisPreKeyStore store;

    @BeforeAll
    void start() {
        server = RedisServer.start();
        proxy = TcpProxy.to("127.0.0.1", server.port());
        store = RedisPreKeyStore.open(TestRedis.standalone("redis://127.0.0.1:" + proxy.port()));
    }

    @AfterAll
    void stop() {
        store.close();
        proxy.close();
        server.close();
    }

    @Test
    void servesWithinASecondOrSoOfRedisComingBackAfterALongOutage() throws Exception {
        Address probe = TestKeys.address(1);
        assertThat(store.count(probe)).isZero();

        proxy.cut();
        Thread.sleep(OUTAGE); // the length of the outage is what is tested: reconnect attempts fail meanwhile
        proxy.restore();

        long back = System.nanoTime();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptions()
                .until(() -> store.count(probe) == 0);
        assertThat(Duration.ofNanos(System.nanoTime() - back))
                .as("time from Redis back to the store serving again")
                .isLessThan(Duration.ofMillis(2500));
    }
}
