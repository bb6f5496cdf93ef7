package io.sluice.gateway.protocol;

import io.sluice.spi.Address;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.Registration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What a connection asks of the backends, one method per routed request. The gateway's implementation
 * sends each call through the route that consumes the matching {@code sluice:} endpoint; a stage that fails
 * answers the request with the error {@link Failures} maps the failure to.
 */
public interface Backend {

    /** {@code sluice:register}. */
    CompletionStage<Void> register(Caller caller, Address address, Registration registration);

    /** {@code sluice:unregister}. */
    CompletionStage<Void> unregister(Caller caller, Address address);

    /** {@code sluice:requestPreKeys}. */
    CompletionStage<List<PreKeyBundle>> requestPreKeys(Caller caller, PreKeyRequest request);

    /** {@code sluice:outbound}: completes once the message is durably accepted. */
    CompletionStage<Void> outbound(Caller caller, Address to, byte[] sealed);

    /** {@code sluice:preKeyCount}. */
    CompletionStage<Integer> preKeyCount(Caller caller, Address address);

    /**
     * Who asks: the connection and the request's sequence (0 for the server's own calls such as the low prekey
     * check), passed to routes as headers for logs and tracing; and the request's deadline on {@link
     * System#nanoTime()}'s clock, owned by the caller: a request still waiting for its route when it passes is not
     * started at all.
     */
    record Caller(String connectionId, int sequence, long deadlineNanos) {
        /** A caller whose request has no deadline of its own. */
        public Caller(String connectionId, int sequence) {
            this(connectionId, sequence, System.nanoTime() + Long.MAX_VALUE / 2);
        }

        /** Whether the deadline has passed. */
        public boolean expired() {
            return System.nanoTime() - deadlineNanos >= 0;
        }
    }
}
