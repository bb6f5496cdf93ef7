package io.sluice.connector.kafka;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The first step of the batched consuming route: the exchange's body is one poll's records (a {@code kafka:}
 * consumer with {@code batching=true}, a list of exchanges, one per record). Each record is checked as {@link
 * InboundRecord} checks one; the deliverable ones stay in the body, in poll order, for {@code sluice:deliver} to
 * queue in one call; the poison ones go to property {@link #POISON}, for the route to dead-letter one by one; the
 * whole poll stays in property {@link #RECORDS}, for {@link BatchCommit}.
 */
public final class InboundBatch implements Processor, CamelContextAware {
    /** The poll's poison records (a {@code List<Exchange>}), each with its dead-letter headers. */
    public static final String POISON = "sluicePoisonRecords";
    /** Every record of the poll (a {@code List<Exchange>}), in poll order. */
    public static final String RECORDS = "sluiceBatchRecords";

    private final InboundRecord check = new InboundRecord();
    private CamelContext camel;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camel = camelContext;
        check.setCamelContext(camelContext);
    }

    @Override
    public CamelContext getCamelContext() {
        return camel;
    }

    /** For use outside a route file: the largest value delivered. */
    public void setMaxMessageBytes(long maxMessageBytes) {
        check.setMaxMessageBytes(maxMessageBytes);
    }

    @Override
    public void process(Exchange exchange) {
        List<Exchange> records = records(exchange);
        List<Exchange> deliverable = new ArrayList<>(records.size());
        List<Exchange> poison = new ArrayList<>();
        for (Exchange record : records) {
            check.process(record);
            if (record.getMessage().getHeader(RecordHeaders.DEAD_LETTER_REASON) == null) {
                deliverable.add(record);
            } else {
                poison.add(record);
            }
        }
        exchange.setProperty(RECORDS, records);
        exchange.setProperty(POISON, poison);
        exchange.getMessage().setBody(deliverable);
    }

    /** The body as the poll's records; anything else is a route mistake. */
    static List<Exchange> records(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (!(body instanceof List<?> items)) {
            throw new IllegalStateException("the body is a "
                    + (body == null ? "null" : body.getClass().getName())
                    + " (expected: a poll's records, from a kafka: consumer with batching=true)");
        }
        List<Exchange> records = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof Exchange record)) {
                throw new IllegalStateException("a batch item is a "
                        + (item == null ? "null" : item.getClass().getName())
                        + " (expected: an exchange per record, from a kafka: consumer with batching=true)");
            }
            records.add(record);
        }
        return records;
    }
}
