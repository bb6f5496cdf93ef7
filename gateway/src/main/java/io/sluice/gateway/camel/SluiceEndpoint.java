package io.sluice.gateway.camel;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * One {@code sluice:} endpoint. A request endpoint has one consuming route at a time, whose consumer the
 * component's {@link RequestSlot} for the operation hands requests to; deliver is a producer.
 */
public final class SluiceEndpoint extends DefaultEndpoint {

    private final SluiceOperation operation;

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

    @Override
    public Producer createProducer() {
        if (operation != SluiceOperation.DELIVER) {
            throw new IllegalArgumentException(operation + " is where client requests enter routes: use it in"
                    + " 'from:'; send messages to sluice:deliver");
        }
        return new DeliverProducer(
                this,
                getComponent().queue(),
                getComponent().guard(),
                getComponent().batchItems());
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (!operation.isConsumed()) {
            throw new IllegalArgumentException(operation + " is where routes send messages: use it in 'to:'");
        }
        DefaultConsumer created = getComponent().slot(operation).newConsumer(this, processor);
        configureConsumer(created);
        return created;
    }
}
