package io.sluice.connector.redis.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bucket keys: one hash tag each, and limit names never run into keys. */
class RedisKeysTest {
    @Test
    void namesAndKeysNeverRunTogether() {
        assertThat(RedisRateLimiters.redisKey("a:b", "c")).isNotEqualTo(RedisRateLimiters.redisKey("a", "b:c"));
    }

    @Test
    void theWholeKeyIsTheHashTag() {
        byte[] key = RedisRateLimiters.redisKey("prekey-requests", "user");
        assertThat(new String(key, StandardCharsets.UTF_8)).isEqualTo("sluice:rl:{15:prekey-requests:user}");
        assertThat(SlotHash.getSlot(key))
                .isEqualTo(SlotHash.getSlot("15:prekey-requests:user".getBytes(StandardCharsets.UTF_8)));
    }
}
