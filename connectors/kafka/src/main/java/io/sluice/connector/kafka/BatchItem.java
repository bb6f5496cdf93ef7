package io.sluice.connector.kafka;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Makes a record of a poll the exchange's message: inside a {@code split} over {@link InboundBatch#POISON}, whose
 * body is each record's exchange, so that the next step (the dead-letter producer) sees the record's headers and
 * value as it would in a route of one record per exchange.
 */
public final class BatchItem implements Processor {

    @Override
    public void process(Exchange exchange) {
        if (!(exchange.getMessage().getBody() instanceof Exchange record)) {
            throw new IllegalStateException(
                    "the body is not a record's exchange (expected: a split over " + InboundBatch.POISON + ")");
        }
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.getHeaders().putAll(record.getMessage().getHeaders());
        message.setBody(record.getMessage().getBody());
    }
}
