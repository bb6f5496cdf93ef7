package io.sluice.connector.redis.prekeys;

import io.sluice.connector.redis.RedisSettings;
import io.sluice.connector.support.PreKeyStoreComponent;
import io.sluice.connector.support.SluiceSettings;
import io.sluice.spi.PreKeyStore;

/**
 * The {@code redis:} Camel component: a {@link RedisPreKeyStore} shared by every gateway on one Redis (standalone or
 * a Redis Cluster), behind the endpoints {@code redis:register}, {@code redis:unregister},
 * {@code redis:requestPreKeys} and {@code redis:preKeyCount}; see {@link PreKeyStoreComponent}.
 *
 * <p>Found by its scheme. Unless given a store in code, it connects when it starts, as {@link RedisSettings} says
 * ({@code sluice.redis.uri}, {@code sluice.redis.cluster}), read from the gateway's settings ({@link SluiceSettings}).
 */
public class RedisComponent extends PreKeyStoreComponent {
    private RedisPreKeyStore store;
    private boolean owned;

    /** A component that connects from the settings when it starts. */
    public RedisComponent() {}

    /** A component over a store configured in code; the caller keeps it and closes it. */
    public RedisComponent(RedisPreKeyStore store) {
        this.store = store;
    }

    @Override
    protected PreKeyStore store() {
        if (store == null) {
            throw new IllegalStateException("redis: the component has not started");
        }
        return store;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (store == null) {
            store = RedisPreKeyStore.open(RedisSettings.from(SluiceSettings.of(getCamelContext())));
            owned = true;
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (owned && store != null) {
            store.close();
            store = null;
            owned = false;
        }
        super.doStop();
    }
}
