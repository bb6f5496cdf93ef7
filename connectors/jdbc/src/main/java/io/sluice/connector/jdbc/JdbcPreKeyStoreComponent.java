package io.sluice.connector.jdbc;

import io.sluice.connector.support.PreKeyStoreComponent;
import io.sluice.spi.PreKeyStore;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * The {@code jdbc-prekeys:} Camel component: a {@link JdbcPreKeyStore} behind the endpoints
 * {@code jdbc-prekeys:register}, {@code :unregister}, {@code :requestPreKeys} and {@code :preKeyCount}.
 *
 * <p>Found by its scheme (no registration needed in a route file). Unless given a store in code, it opens one
 * when it starts, from the settings below, read as Camel property placeholders so that a gateway's settings (a
 * system property, an environment variable or its config file) reach it:
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th></tr>
 *   <tr><td>{@code sluice.jdbc.url}</td><td>{@code jdbc:postgresql://127.0.0.1:5432/test}</td></tr>
 *   <tr><td>{@code sluice.jdbc.user}</td><td>{@code postgres}</td></tr>
 *   <tr><td>{@code sluice.jdbc.password}</td><td>empty</td></tr>
 *   <tr><td>{@code sluice.jdbc.schema}</td><td>the user's default schema</td></tr>
 *   <tr><td>{@code sluice.jdbc.pool-size}</td><td>10</td></tr>
 *   <tr><td>{@code sluice.jdbc.timeout}</td><td>3s</td></tr>
 * </table>
 */
public class JdbcPreKeyStoreComponent extends PreKeyStoreComponent {

    private JdbcPreKeyStore store;
    private boolean owned;

    /** A component that opens its store from the settings when it starts. */
    public JdbcPreKeyStoreComponent() {}

    /** A component over a store configured in code; the caller keeps it and closes it. */
    public JdbcPreKeyStoreComponent(JdbcPreKeyStore store) {
        this.store = store;
    }

    @Override
    protected PreKeyStore store() {
        if (store == null) {
            throw new IllegalStateException("jdbc-prekeys: the component has not started");
        }
        return store;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (store == null) {
            store = builder(settings(getCamelContext())).build();
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

    /** The settings as the context's property placeholders resolve them; unset keys are left out. */
    static Settings settings(CamelContext context) {
        Map<String, String> given = new HashMap<>();
        for (String key : JdbcPreKeyStore.SETTINGS) {
            String value = context.resolvePropertyPlaceholders("{{" + key + ":}}");
            if (value != null && !value.isBlank()) {
                given.put(key, value);
            }
        }
        return Settings.of(given);
    }

    /** A store builder from settings; a bad value throws a {@link SettingException} naming the key. */
    static JdbcPreKeyStore.Builder builder(Settings settings) {
        return JdbcPreKeyStore.builder(settings);
    }
}
