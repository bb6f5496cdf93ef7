package io.sluice.connector.redis.prekeys;

import io.sluice.connector.redis.RedisSettings;
import io.sluice.connector.support.OpenedPreKeyStoreComponent;
import io.sluice.connector.support.PreKeyStoreComponent;
import io.sluice.connector.support.SluiceSettings;
import io.sluice.spi.Settings;

/**
 * The {@code redis:} Camel component: a {@link RedisPreKeyStore} shared by every gateway on one Redis (standalone or
 * a Redis Cluster), behind the endpoints {@code redis:register}, {@code redis:unregister},
 * {@code redis:requestPreKeys} and {@code redis:preKeyCount}; see {@link PreKeyStoreComponent}.
 *
 * <p>Found by its scheme. Unless given a store in code, it connects when it starts, as {@link RedisSettings} says
 * ({@code sluice.redis.uri}, {@code sluice.redis.cluster}), read from the gateway's settings ({@link SluiceSettings}).
 */
public class RedisComponent extends OpenedPreKeyStoreComponent<RedisPreKeyStore> {

    /** A component that connects from the settings when it starts. */
    public RedisComponent() {
        super("redis");
    }

    /** A component over a store configured in code; the caller keeps it and closes it. */
    public RedisComponent(RedisPreKeyStore store) {
        super("redis", store);
    }

    @Override
    protected RedisPreKeyStore open(Settings settings) {
        return RedisPreKeyStore.open(RedisSettings.from(settings));
    }
}
