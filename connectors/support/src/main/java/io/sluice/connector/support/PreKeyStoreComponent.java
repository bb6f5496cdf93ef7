package io.sluice.connector.support;

import io.sluice.spi.PreKeyStore;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * A Camel component that exposes a {@link PreKeyStore} as four endpoints named like the {@code sluice:} ones
 * they serve, so a route reads {@code from: sluice:register → to: <scheme>:register}:
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>endpoint</th><th>in</th><th>out body</th></tr>
 *   <tr><td>{@code register}</td><td>Address headers, {@code Registration} body</td><td>unchanged</td></tr>
 *   <tr><td>{@code unregister}</td><td>Address headers</td><td>unchanged</td></tr>
 *   <tr><td>{@code requestPreKeys}</td><td>{@code PreKeyRequest} body</td><td>{@code List<PreKeyBundle>}</td></tr>
 *   <tr><td>{@code preKeyCount}</td><td>Address headers</td><td>{@code Integer}</td></tr>
 * </table>
 *
 * A connector extends this with a store of its own; see the embedded and JDBC connectors.
 */
public abstract class PreKeyStoreComponent extends DefaultComponent {

    /** The store the endpoints call; available once the component has started. */
    protected abstract PreKeyStore store();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        PreKeyOperation operation = PreKeyOperation.of(uri, remaining);
        PreKeyStoreEndpoint endpoint = new PreKeyStoreEndpoint(uri, this, operation);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
