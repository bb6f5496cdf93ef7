package io.sluice.connector.jdbc;

import io.sluice.connector.support.OpenedPreKeyStoreComponent;
import io.sluice.connector.support.SluiceSettings;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import org.apache.camel.CamelContext;

/**
 * The {@code jdbc-prekeys:} Camel component: a {@link JdbcPreKeyStore} behind the endpoints
 * {@code jdbc-prekeys:register}, {@code :unregister}, {@code :requestPreKeys} and {@code :preKeyCount}.
 *
 * <p>Found by its scheme (no registration needed in a route file). Unless given a store in code, it opens one
 * when it starts, from the settings below ({@link JdbcPreKeyStore.Definitions}), read from the gateway's settings
 * as the context holds them ({@link SluiceSettings}):
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
public class JdbcPreKeyStoreComponent extends OpenedPreKeyStoreComponent<JdbcPreKeyStore> {

    /** A component that opens its store from the settings when it starts. */
    public JdbcPreKeyStoreComponent() {
        super("jdbc-prekeys");
    }

    /** A component over a store configured in code; the caller keeps it and closes it. */
    public JdbcPreKeyStoreComponent(JdbcPreKeyStore store) {
        super("jdbc-prekeys", store);
    }

    @Override
    protected JdbcPreKeyStore open(Settings settings) {
        return builder(settings).build();
    }

    /** The gateway's settings, bound in the context ({@link SluiceSettings}). */
    static Settings settings(CamelContext context) {
        return SluiceSettings.of(context);
    }

    /** A store builder from settings; a bad value throws a {@link SettingException} naming the key. */
    static JdbcPreKeyStore.Builder builder(Settings settings) {
        return JdbcPreKeyStore.builder(settings);
    }
}
