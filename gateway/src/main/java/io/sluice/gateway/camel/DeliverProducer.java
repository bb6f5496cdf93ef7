package io.sluice.gateway.camel;

import io.sluice.connector.support.SluiceExchanges;
import io.sluice.gateway.tracing.BatchItemTracer;
import io.sluice.spi.Address;
import io.sluice.spi.Enqueue;
import io.sluice.spi.Enqueued;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.SluiceException;
import io.sluice.spi.SluiceHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * {@code sluice:deliver}: queues the exchange's sealed bytes for the recipient its headers name, and completes the
 * exchange once the queue has made it durable, without holding a thread meanwhile. A queue full for the recipient
 * fails the exchange with the guard's refusal ({@code rate_limited}); a duplicate (a {@code SluiceMessageId} seen
 * before) completes it as if queued.
 *
 * <p>A body that is a list of exchanges or messages (a Kafka consumer's poll with {@code batching=true}) is queued
 * as one batch, each item in list order, and each item gets header {@link SluiceHeaders#DELIVER_OUTCOME}; the
 * exchange fails only when the queue could not take the batch.
 */
final class DeliverProducer extends DefaultAsyncProducer {
    private final MessageQueue queue;
    private final DeliverGuard guard;
    private final BatchItemTracer batchItems;

    DeliverProducer(SluiceEndpoint endpoint, MessageQueue queue, DeliverGuard guard, BatchItemTracer batchItems) {
        super(endpoint);
        this.queue = queue;
        this.guard = guard;
        this.batchItems = batchItems;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message in = exchange.getMessage();
        if (in.getBody() instanceof List<?> items) {
            return processBatch(exchange, items, callback);
        }
        Enqueue message;
        try {
            message = toEnqueue(in);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        queue.enqueue(message, guard.quota()).whenComplete((result, failure) -> {
            if (failure != null) {
                exchange.setException(unwrap(failure));
            } else {
                SluiceException refused = guard.enqueued(message.recipient(), result);
                if (refused != null) {
                    exchange.setException(refused);
                }
            }
            callback.done(false);
        });
        return false;
    }

    private boolean processBatch(Exchange exchange, List<?> items, AsyncCallback callback) {
        List<Message> accepted = new ArrayList<>(items.size());
        List<Enqueue> messages = new ArrayList<>(items.size());
        for (Object item : items) {
            Message message = item instanceof Exchange e ? e.getMessage() : item instanceof Message m ? m : null;
            if (message == null) {
                exchange.setException(new SluiceException(
                        io.sluice.spi.ErrorName.UNKNOWN_ERROR,
                        "sluice:deliver: a batch holds a " + item.getClass().getName()
                                + " (expected: exchanges or messages)"));
                callback.done(true);
                return true;
            }
            try {
                messages.add(toEnqueue(message));
                accepted.add(message);
            } catch (SluiceException e) {
                message.setHeader(SluiceHeaders.DELIVER_OUTCOME, "invalid");
                message.setHeader(SluiceHeaders.ERROR_DESCRIPTION, e.description());
            }
        }
        if (messages.isEmpty()) {
            callback.done(true);
            return true;
        }
        List<BatchItemTracer.ItemSpan> spans = startSpans(accepted);
        queue.enqueue(messages, guard.quota()).whenComplete((results, failure) -> {
            if (failure != null) {
                exchange.setException(unwrap(failure));
                spans.forEach(span -> span.end(null, unwrap(failure)));
            } else {
                for (int i = 0; i < results.size(); i++) {
                    Enqueued result = results.get(i);
                    Message item = accepted.get(i);
                    item.setHeader(
                            SluiceHeaders.DELIVER_OUTCOME,
                            result.outcome().name().toLowerCase(Locale.ROOT));
                    SluiceException refused = guard.enqueued(messages.get(i).recipient(), result);
                    if (refused != null) {
                        item.setHeader(SluiceHeaders.ERROR_DESCRIPTION, refused.description());
                    }
                    spans.get(i).end(item.getHeader(SluiceHeaders.DELIVER_OUTCOME, String.class), null);
                }
            }
            callback.done(false);
        });
        return false;
    }

    /** A span per message, each in the trace its headers carry; none at all when tracing is off. */
    private List<BatchItemTracer.ItemSpan> startSpans(List<Message> items) {
        if (batchItems == BatchItemTracer.NONE) {
            return java.util.Collections.nCopies(items.size(), BatchItemTracer.ItemSpan.NONE);
        }
        List<BatchItemTracer.ItemSpan> spans = new ArrayList<>(items.size());
        for (Message item : items) {
            spans.add(batchItems.start(item.getHeaders()));
        }
        return spans;
    }

    /** The queue's own failure, without the wrapper a composed stage adds. */
    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
    }

    private static Enqueue toEnqueue(Message message) {
        Address recipient = SluiceExchanges.address(message);
        byte[] body = message.getBody(byte[].class);
        if (body == null) {
            throw SluiceException.invalidMessage("sluice:deliver: the message has no body (expected: sealed bytes)");
        }
        return new Enqueue(recipient, body, message.getHeader(SluiceHeaders.MESSAGE_ID, String.class));
    }
}
