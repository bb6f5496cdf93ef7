package io.sluice.connector.embedded;

import io.sluice.connector.support.OpenedPreKeyStoreComponent;
import io.sluice.connector.support.PreKeyStoreComponent;
import io.sluice.connector.support.SluiceSettings;
import io.sluice.spi.Settings;

/**
 * The {@code embedded:} Camel component: the prekey store in {@code <sluice.data-dir>/prekeys}, with the settings
 * of {@link EmbeddedSettings} (from the gateway's settings, {@link SluiceSettings}).
 * Endpoints {@code embedded:register}, {@code embedded:unregister}, {@code embedded:requestPreKeys} and
 * {@code embedded:preKeyCount}; see {@link PreKeyStoreComponent}.
 */
public class EmbeddedComponent extends OpenedPreKeyStoreComponent<EmbeddedPreKeyStore> {

    /** A component that opens its store in the data directory when it starts. */
    public EmbeddedComponent() {
        super("embedded");
    }

    @Override
    protected EmbeddedPreKeyStore open(Settings gatewaySettings) {
        EmbeddedSettings settings = EmbeddedSettings.from(gatewaySettings);
        return EmbeddedPreKeyStore.open(settings.dataDir().resolve("prekeys"), settings.sync());
    }
}
