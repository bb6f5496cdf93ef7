package io.sluice.connector.redis.prekeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.connector.redis.RedisSettings;
import io.sluice.connector.redis.TestRedis;
import io.sluice.spi.Address;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.testing.redis.RedisClusterServers;
import io.sluice.testing.redis.RedisServer;
import io.sluice.testkit.TestKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Three stores on connections of their own, as three gateways, claim one device's 50 one-time prekeys 200 times at
 * once: every key is handed out exactly once, and the other 150 claims get the device without one.
 */
class ClaimAcrossGatewaysIT {
    private static final int KEYS = 50;
    private static final int CLAIMS = 200;
    private static final int GATEWAYS = 3;

    @Test
    void onAStandaloneServer() throws Exception {
        try (RedisServer server = RedisServer.start()) {
            race(TestRedis.standalone(server.uri()));
        }
    }

    @Test
    void onAClusterOfThreeMasters() throws Exception {
        try (RedisClusterServers cluster = RedisClusterServers.start(3, 0)) {
            race(TestRedis.cluster(cluster.uri()));
        }
    }

    private static void race(RedisSettings settings) throws Exception {
        List<RedisPreKeyStore> gateways = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(24);
        try {
            for (int i = 0; i < GATEWAYS; i++) {
                gateways.add(RedisPreKeyStore.open(settings));
            }
            Address device = TestKeys.address(1);
            gateways.getFirst().register(device, TestKeys.registration(1, "s", "key", KEYS));
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<PreKeyBundle>> claims = new ArrayList<>();
            for (int i = 0; i < CLAIMS; i++) {
                RedisPreKeyStore gateway = gateways.get(i % GATEWAYS);
                claims.add(() -> {
                    start.await();
                    return gateway.claim(new PreKeyRequest(device.userId(), Set.of()))
                            .getFirst();
                });
            }
            List<Future<PreKeyBundle>> futures = new ArrayList<>();
            for (Callable<PreKeyBundle> claim : claims) {
                futures.add(threads.submit(claim));
            }
            start.countDown();
            List<String> handedOut = new ArrayList<>();
            int withoutKey = 0;
            for (Future<PreKeyBundle> future : futures) {
                byte[] key = future.get().oneTimePreKey();
                if (key == null) {
                    withoutKey++;
                } else {
                    handedOut.add(new String(key, StandardCharsets.UTF_8));
                }
            }

            assertThat(handedOut)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(
                            IntStream.range(0, KEYS).mapToObj(i -> "key-" + i).toList());
            assertThat(withoutKey).isEqualTo(CLAIMS - KEYS);
            for (RedisPreKeyStore gateway : gateways) {
                assertThat(gateway.count(device)).isZero();
            }
        } finally {
            threads.shutdownNow();
            gateways.forEach(RedisPreKeyStore::close);
        }
    }
}
