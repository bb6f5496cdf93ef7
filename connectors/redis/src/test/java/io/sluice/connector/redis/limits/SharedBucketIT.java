package io.sluice.connector.redis.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.connector.redis.RedisConnection;
import io.sluice.connector.redis.TestRedis;
import io.sluice.spi.ErrorName;
import io.sluice.spi.Rate;
import io.sluice.spi.RateLimiters;
import io.sluice.spi.RateLimiters.KeyedRateLimiter;
import io.sluice.spi.Settings;
import io.sluice.spi.SluiceException;
import io.sluice.testing.redis.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two gateways, each with its own store and connection, share one bucket per key; an outage fails the take. */
class SharedBucketIT {
    @Test
    void twoGatewaysShareOneBucket() throws Exception {
        try (RedisServer server = RedisServer.start();
                RedisRateLimiters first =
                        RedisRateLimiters.owning(RedisConnection.open(TestRedis.standalone(server.uri())));
                RedisRateLimiters second =
                        RedisRateLimiters.owning(RedisConnection.open(TestRedis.standalone(server.uri())))) {
            Rate rate = new Rate(10, Duration.ofHours(1));
            List<KeyedRateLimiter> gateways =
                    List.of(first.limiter("prekey-requests", rate), second.limiter("prekey-requests", rate));
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<CompletableFuture<Boolean>>> calls = new ArrayList<>();
            try (ExecutorService threads = Executors.newFixedThreadPool(20)) {
                for (int i = 0; i < 20; i++) {
                    KeyedRateLimiter gateway = gateways.get(i % 2);
                    calls.add(CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    start.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                return gateway.tryAcquire("user").toCompletableFuture();
                            },
                            threads));
                }
                start.countDown();
                long allowed = 0;
                for (var call : calls) {
                    if (call.get(30, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS)) {
                        allowed++;
                    }
                }
                assertThat(allowed).isEqualTo(10);
            }
        }
    }

    @Test
    void theProviderIsFoundAsTypeRedis() {
        try (RedisServer server = RedisServer.start()) {
            RateLimiters store = ServiceLoader.load(io.sluice.spi.RateLimitersProvider.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(p -> p.type().equals("redis"))
                    .findFirst()
                    .orElseThrow()
                    .open(Settings.of(Map.of("sluice.redis.uri", server.uri())));
            try (store) {
                assertThat(store.limiter("x", new Rate(1, Duration.ofHours(1)))
                                .tryAcquire("k")
                                .toCompletableFuture()
                                .join())
                        .isTrue();
            }
        }
    }

    @Test
    void redisDownFailsTheTakeWithUnavailable() {
        try (RedisServer server = RedisServer.start();
                RedisRateLimiters store =
                        RedisRateLimiters.owning(RedisConnection.open(TestRedis.standalone(server.uri())))) {
            KeyedRateLimiter limiter = store.limiter("down", new Rate(5, Duration.ofHours(1)));
            assertThat(limiter.tryAcquire("k").toCompletableFuture().join()).isTrue();
            server.kill9();
            assertThatThrownBy(
                            () -> limiter.tryAcquire("k").toCompletableFuture().join())
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            SluiceException.class,
                            e -> assertThat(e.errorName()).isEqualTo(ErrorName.UNAVAILABLE));
        }
    }
}
