package io.sluice.connector.embedded;

import io.sluice.connector.support.PreKeyStoreComponent;
import io.sluice.spi.PreKeyStore;
import java.nio.file.Path;

/**
 * The {@code embedded:} Camel component: the prekey store in {@code <sluice.data-dir>/prekeys}.
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
        Path dataDir = Path.of(getCamelContext().resolvePropertyPlaceholders("{{sluice.data-dir:data}}"));
        boolean sync =
                Boolean.parseBoolean(getCamelContext().resolvePropertyPlaceholders("{{sluice.embedded.sync:false}}"));
        store = EmbeddedPreKeyStore.open(dataDir.resolve("prekeys"), sync);
    }

    @Override
    protected void doStop() throws Exception {
        if (store != null) {
            store.close();
        }
        super.doStop();
    }
}
