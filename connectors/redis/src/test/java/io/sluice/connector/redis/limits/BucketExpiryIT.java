package io.sluice.connector.redis.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.connector.redis.RedisConnection;
import io.sluice.connector.redis.TestRedis;
import io.sluice.spi.Rate;
import io.sluice.testing.redis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A bucket's key carries an expiry: the time to refill completely plus a margin, so idle keys vanish. */
class BucketExpiryIT {
    @Test
    void aBucketExpiresOnceItWouldHaveRefilled() {
        try (RedisServer server = RedisServer.start();
                RedisRateLimiters store =
                        RedisRateLimiters.owning(RedisConnection.open(TestRedis.standalone(server.uri())))) {
            Duration period = Duration.ofMinutes(1);
            store.limiter("expiry", new Rate(4, period))
                    .tryAcquire("k")
                    .toCompletableFuture()
                    .join();

            String key = new String(RedisRateLimiters.redisKey("expiry", "k"), StandardCharsets.UTF_8);
            long ttl = Long.parseLong(server.command("PTTL", key).substring(1));

            // One token of four taken: a quarter of the period to refill, plus the margin.
            assertThat(ttl)
                    .isPositive()
                    .isLessThanOrEqualTo(period.dividedBy(4)
                            .plus(RedisRateLimiters.KEEP_FULL)
                            .toMillis());
        }
    }
}
