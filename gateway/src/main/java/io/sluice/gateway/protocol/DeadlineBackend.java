package io.sluice.gateway.protocol;

import io.sluice.spi.Address;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.Registration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Backend} for callers outside a connection (tools, tests, {@code RoutedPreKeyStore}): each call gets the
 * request timeout as its one deadline, from {@link Deadlines}, as a client's request does from its pipeline.
 */
public final class DeadlineBackend implements Backend {
    private final Backend backend;
    private final Deadlines deadlines;

    public DeadlineBackend(Backend backend, Deadlines deadlines) {
        this.backend = backend;
        this.deadlines = deadlines;
    }

    private Caller bounded(Caller caller) {
        return new Caller(caller.connectionId(), caller.sequence(), deadlines.deadline(deadlines.now()));
    }

    @Override
    public CompletionStage<Void> register(Caller caller, Address address, Registration registration) {
        return deadlines.bound(backend.register(bounded(caller), address, registration));
    }

    @Override
    public CompletionStage<Void> unregister(Caller caller, Address address) {
        return deadlines.bound(backend.unregister(bounded(caller), address));
    }

    @Override
    public CompletionStage<List<PreKeyBundle>> requestPreKeys(Caller caller, PreKeyRequest request) {
        return deadlines.bound(backend.requestPreKeys(bounded(caller), request));
    }

    @Override
    public CompletionStage<Void> outbound(Caller caller, Address to, byte[] sealed) {
        return deadlines.bound(backend.outbound(bounded(caller), to, sealed));
    }

    @Override
    public CompletionStage<Integer> preKeyCount(Caller caller, Address address) {
        return deadlines.bound(backend.preKeyCount(bounded(caller), address));
    }
}
