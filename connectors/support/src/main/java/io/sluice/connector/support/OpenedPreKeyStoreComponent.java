package io.sluice.connector.support;

import io.sluice.spi.PreKeyStore;
import io.sluice.spi.Settings;

/**
 * A {@link PreKeyStoreComponent} whose store is either given in code (the caller keeps it and closes it) or opened
 * from the gateway's settings ({@link SluiceSettings}) when the component starts, and then closed when it stops.
 *
 * @param <S> the store
 */
public abstract class OpenedPreKeyStoreComponent<S extends PreKeyStore & AutoCloseable> extends PreKeyStoreComponent {
    private final String scheme;
    private S store;
    private boolean owned;

    /** A component that opens its store from the settings when it starts. */
    protected OpenedPreKeyStoreComponent(String scheme) {
        this.scheme = scheme;
    }

    /** A component over a store configured in code; the caller keeps it and closes it. */
    protected OpenedPreKeyStoreComponent(String scheme, S store) {
        this.scheme = scheme;
        this.store = store;
    }

    /** Opens the store from the gateway's settings. */
    protected abstract S open(Settings settings) throws Exception;

    @Override
    protected final PreKeyStore store() {
        if (store == null) {
            throw new IllegalStateException(scheme + ": the component has not started");
        }
        return store;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (store == null) {
            store = open(SluiceSettings.of(getCamelContext()));
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
