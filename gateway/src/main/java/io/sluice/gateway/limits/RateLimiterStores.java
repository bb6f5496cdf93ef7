package io.sluice.gateway.limits;

import io.sluice.spi.RateLimiters;
import io.sluice.spi.RateLimitersProvider;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.util.ServiceLoader;

/** Opens the {@link RateLimiters} store that {@code sluice.limits.store} names, found with {@link ServiceLoader}. */
public final class RateLimiterStores {
    private RateLimiterStores() {}

    /**
     * Opens the store of this type.
     *
     * @throws SettingException naming {@code sluice.limits.store} when no provider on the class path has this type
     */
    public static RateLimiters open(String type, Settings settings) {
        return ServiceLoader.load(RateLimitersProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.type().equals(type))
                .findFirst()
                .orElseThrow(() -> new SettingException(
                        LimitsSettings.STORE.key(),
                        type,
                        "one of "
                                + ServiceLoader.load(RateLimitersProvider.class).stream()
                                        .map(p -> p.get().type())
                                        .toList()))
                .open(settings);
    }
}
