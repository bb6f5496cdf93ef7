package io.sluice.connector.support;

import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/** One prekey operation of a {@link PreKeyStoreComponent}; producer only. */
final class PreKeyStoreEndpoint extends DefaultEndpoint {
    private final PreKeyOperation operation;

    PreKeyStoreEndpoint(String uri, PreKeyStoreComponent component, PreKeyOperation operation) {
        super(uri, component);
        this.operation = operation;
    }

    @Override
    public PreKeyStoreComponent getComponent() {
        return (PreKeyStoreComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) throws Exception {
                operation.apply(getComponent().store(), exchange);
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " can only be sent to (use it in 'to:')");
    }
}
