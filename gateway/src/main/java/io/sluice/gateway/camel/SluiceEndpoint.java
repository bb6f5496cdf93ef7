package io.sluice.gateway.camel;

import io.sluice.connector.support.SluiceExchanges;
import io.sluice.spi.Address;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.SluiceHeaders;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/** One {@code sluice:} endpoint. Request endpoints have at most one consuming route; deliver is a producer. */
public final class SluiceEndpoint extends DefaultEndpoint {
    private final SluiceOperation operation;
    private final AtomicReference<DefaultConsumer> consumer = new AtomicReference<>();

    SluiceEndpoint(String uri, SluiceComponent component, SluiceOperation operation) {
        super(uri, component);
        this.operation = operation;
    }

    @Override
    public SluiceComponent getComponent() {
        return (SluiceComponent) super.getComponent();
    }

    /** Which endpoint this is. */
    public SluiceOperation operation() {
        return operation;
    }

    /** The consumer of the route that handles this request type, or null when no route has started. */
    DefaultConsumer consumer() {
        return consumer.get();
    }

    @Override
    public Producer createProducer() {
        if (operation != SluiceOperation.DELIVER) {
            throw new IllegalArgumentException(operation + " is where client requests enter routes: use it in"
                    + " 'from:'; send messages to sluice:deliver");
        }
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) throws Exception {
                Message in = exchange.getMessage();
                Address recipient = SluiceExchanges.address(in);
                byte[] body = in.getMandatoryBody(byte[].class);
                MessageQueue queue = getComponent().queue();
                DeliverGuard guard = getComponent().guard();
                if (guard != null) {
                    // A limit, not a reservation: concurrent senders may overshoot it by what they have in flight.
                    guard.check(recipient, queue.usage(recipient), body.length);
                }
                queue.enqueue(recipient, body, in.getHeader(SluiceHeaders.MESSAGE_ID, String.class));
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (!operation.isConsumed()) {
            throw new IllegalArgumentException(operation + " is where routes send messages: use it in 'to:'");
        }
        DefaultConsumer created = new DefaultConsumer(this, processor) {
            @Override
            protected void doStart() throws Exception {
                super.doStart();
                if (!consumer.compareAndSet(null, this)) {
                    throw new IllegalStateException(operation + " is consumed by two routes: "
                            + consumer.get().getRouteId() + " and " + getRouteId() + " (expected: one)");
                }
            }

            @Override
            protected void doStop() throws Exception {
                consumer.compareAndSet(this, null);
                super.doStop();
            }
        };
        configureConsumer(created);
        return created;
    }
}
