package io.sluice.connector.redis.limits;

import io.sluice.connector.redis.RedisConnection;
import io.sluice.connector.redis.RedisSettings;
import io.sluice.spi.RateLimiters;
import io.sluice.spi.RateLimitersProvider;
import io.sluice.spi.Settings;

/**
 * Provides {@link RedisRateLimiters} as the store type {@code redis} ({@code sluice.limits.store=redis}), on the
 * Redis that {@code sluice.redis.uri} and {@code sluice.redis.cluster} name.
 */
public final class RedisRateLimitersProvider implements RateLimitersProvider {
    /** The type name. */
    public static final String TYPE = "redis";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public RateLimiters open(Settings settings) {
        return RedisRateLimiters.owning(RedisConnection.open(RedisSettings.from(settings)));
    }
}
