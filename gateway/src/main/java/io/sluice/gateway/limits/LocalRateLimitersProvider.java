package io.sluice.gateway.limits;

import io.sluice.spi.RateLimiters;
import io.sluice.spi.RateLimitersProvider;
import io.sluice.spi.Settings;

/** Provides {@link LocalRateLimiters} as the store type {@code local}, the default of {@code sluice.limits.store}. */
public final class LocalRateLimitersProvider implements RateLimitersProvider {
    /** The type name. */
    public static final String TYPE = "local";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public RateLimiters open(Settings settings) {
        return new LocalRateLimiters();
    }
}
