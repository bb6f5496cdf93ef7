package io.sluice.gateway.tracing;

import java.util.Map;

/**
 * Starts a span for each message of a batch given to {@code sluice:deliver} (a Kafka poll), in the trace the message
 * carries in its headers ({@code traceparent}): the batch's own exchange belongs to no one sender's trace, so each
 * message gets a span of its own, a child of the span that sent it.
 */
public interface BatchItemTracer {
    /** Traces nothing and costs nothing: tracing is off. */
    BatchItemTracer NONE = headers -> ItemSpan.NONE;

    /** Starts the span of one message; {@link ItemSpan#NONE} when its headers carry no trace context. */
    ItemSpan start(Map<String, Object> headers);

    /** One message's span. */
    @FunctionalInterface
    interface ItemSpan {
        /** A span that records nothing. */
        ItemSpan NONE = (outcome, failure) -> {};

        /** Ends the span with what became of the message, or the batch's failure (then outcome is null). */
        void end(String outcome, Throwable failure);
    }
}
