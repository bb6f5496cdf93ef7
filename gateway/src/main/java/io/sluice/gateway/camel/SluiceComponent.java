package io.sluice.gateway.camel;

import io.sluice.gateway.tracing.BatchItemTracer;
import io.sluice.spi.MessageQueue;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code sluice:} component: where client requests enter routes and messages leave them for delivery.
 *
 * <pre>{@code
 * - from:
 *     uri: sluice:outbound        # a client sent a sealed message
 *     steps:
 *       - to: sluice:deliver      # queue it for the recipient Address in the headers
 * }</pre>
 *
 * See {@link SluiceOperation} for the endpoints and {@code io.sluice.spi.SluiceHeaders} for the headers.
 */
public final class SluiceComponent extends DefaultComponent {
    private final MessageQueue queue;
    private final DeliverGuard guard;
    private volatile BatchItemTracer batchItems = BatchItemTracer.NONE;
    private final Map<SluiceOperation, RequestSlot> slots = new EnumMap<>(SluiceOperation.class);

    public SluiceComponent(MessageQueue queue) {
        this(queue, DeliverGuard.NONE);
    }

    /** A component whose {@code sluice:deliver} holds each queue to the guard's quota and tells it each result. */
    public SluiceComponent(MessageQueue queue, DeliverGuard guard) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.guard = Objects.requireNonNull(guard, "guard");
        for (SluiceOperation operation : SluiceOperation.values()) {
            if (operation.isConsumed()) {
                slots.put(operation, new RequestSlot(operation));
            }
        }
    }

    MessageQueue queue() {
        return queue;
    }

    /** Traces each message of a batch given to sluice:deliver in its sender's trace; set before the routes start. */
    public void traceBatchItems(BatchItemTracer tracer) {
        this.batchItems = Objects.requireNonNull(tracer, "tracer");
    }

    BatchItemTracer batchItems() {
        return batchItems;
    }

    /** The guard of sluice:deliver. */
    DeliverGuard guard() {
        return guard;
    }

    /** The endpoint of one operation, created on first use. */
    public SluiceEndpoint endpoint(SluiceOperation operation) {
        return getCamelContext().getEndpoint(operation.uri(), SluiceEndpoint.class);
    }

    /** Where requests of a consumed operation find their route. */
    RequestSlot slot(SluiceOperation operation) {
        RequestSlot slot = slots.get(operation);
        if (slot == null) {
            throw new IllegalArgumentException(operation + " is where routes send messages: use it in 'to:'");
        }
        return slot;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SluiceEndpoint endpoint = new SluiceEndpoint(uri, this, SluiceOperation.of(remaining));
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
