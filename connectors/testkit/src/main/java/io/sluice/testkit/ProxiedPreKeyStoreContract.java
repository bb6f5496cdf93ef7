package io.sluice.testkit;

import io.sluice.spi.PreKeyStore;
import java.time.Duration;

/**
 * The {@link PreKeyStoreContract} for a store whose backend sits behind a {@link TcpProxy}: the class registers a
 * {@link ProxiedPreKeyStore} and names it, and the fixture does the rest (open once, cut the proxy for outages, close
 * everything after).
 *
 * <pre>{@code
 * class RestPreKeyStoreIT extends ProxiedPreKeyStoreContract {
 *     @RegisterExtension
 *     static final ProxiedPreKeyStore STORE = ProxiedPreKeyStore.open(fixture -> …);
 *
 *     protected ProxiedPreKeyStore fixture() { return STORE; }
 * }
 * }</pre>
 */
public abstract class ProxiedPreKeyStoreContract extends PreKeyStoreContract {

    /** The class's fixture, a static {@code @RegisterExtension} field. */
    protected abstract ProxiedPreKeyStore fixture();

    @Override
    protected final PreKeyStore store() {
        return fixture().store();
    }

    @Override
    protected final BackendControl backend() {
        return fixture().proxy();
    }

    @Override
    protected final Duration outageTimeout() {
        return fixture().outageTimeout();
    }
}
