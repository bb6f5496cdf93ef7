package io.sluice.gateway.protocol;

import io.sluice.spi.Address;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.Registration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A backend that records calls and answers what the test set; no routes, no stores. */
final class FakeBackend implements Backend {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile CompletionStage<Void> next = CompletableFuture.completedFuture(null);
    volatile List<PreKeyBundle> bundles = List.of();
    volatile int count = 100;

    @Override
    public CompletionStage<Void> register(Caller caller, Address address, Registration registration) {
        calls.add("register " + address + " seq=" + caller.sequence());
        return next;
    }

    @Override
    public CompletionStage<Void> unregister(Caller caller, Address address) {
        calls.add("unregister " + address);
        return next;
    }

    @Override
    public CompletionStage<List<PreKeyBundle>> requestPreKeys(Caller caller, PreKeyRequest request) {
        calls.add("requestPreKeys " + request.userId());
        return next.thenApply(v -> bundles);
    }

    @Override
    public CompletionStage<Void> outbound(Caller caller, Address to, byte[] sealed) {
        calls.add("outbound " + to);
        return next;
    }

    @Override
    public CompletionStage<Integer> preKeyCount(Caller caller, Address address) {
        return CompletableFuture.completedFuture(count);
    }
}
