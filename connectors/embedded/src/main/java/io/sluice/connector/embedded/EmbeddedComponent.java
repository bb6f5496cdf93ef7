package io.sluice.connector.embedded;

import io.sluice.connector.support.PreKeyStoreComponent;
import io.sluice.connector.support.SluiceSettings;
import io.sluice.spi.PreKeyStore;

/**
 * The {@code embedded:} Camel component: the prekey store in {@code <sluice.data-dir>/prekeys}, with the settings
 * of {@link EmbeddedSettings} (from the gateway's settings, {@link SluiceSettings}).
 * Endpoints {@code embedded:register}, {@code embedded:unregister}, {@code embedded:requestPreKeys} and
 * {@code embedded:preKeyCount}; see {@link PreKeyStoreComponent}.
 */
public class EmbeddedComponent extends PreKeyStoreComponent {
    private EmbeddedPreKeyStore store;

    @Override
    protected PreKeyStore store() {
        return store;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        EmbeddedSettings settings = EmbeddedSettings.from(SluiceSettings.of(getCamelContext()));
        store = EmbeddedPreKeyStore.open(settings.dataDir().resolve("prekeys"), settings.sync());
    }

    @Override
    protected void doStop() throws Exception {
        if (store != null) {
            store.close();
        }
        super.doStop();
    }
}
