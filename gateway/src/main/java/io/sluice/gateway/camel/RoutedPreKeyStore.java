package io.sluice.gateway.camel;

import io.sluice.gateway.protocol.Backend;
import io.sluice.gateway.protocol.Failures;
import io.sluice.spi.Address;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.PreKeyStore;
import io.sluice.spi.Registration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * A {@link PreKeyStore} whose every call goes through the prekey routes, exactly as a client's request does.
 * Lets the test kit's {@code PreKeyStoreContract} check a store that is only a route file (REST, SQL, …):
 *
 * <pre>{@code
 * PreKeyStore store = new RoutedPreKeyStore(gateway.backend());
 * }</pre>
 */
public final class RoutedPreKeyStore implements PreKeyStore {
    private static final Backend.Caller CALLER = new Backend.Caller("routed-store", 0);
    private final Backend backend;

    public RoutedPreKeyStore(Backend backend) {
        this.backend = backend;
    }

    @Override
    public void register(Address address, Registration registration) {
        join(backend.register(CALLER, address, registration));
    }

    @Override
    public void unregister(Address address) {
        join(backend.unregister(CALLER, address));
    }

    @Override
    public List<PreKeyBundle> claim(PreKeyRequest request) {
        return join(backend.requestPreKeys(CALLER, request));
    }

    @Override
    public int count(Address address) {
        return join(backend.preKeyCount(CALLER, address));
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw Failures.toSluice(e);
        }
    }
}
