package io.sluice.gateway.tracing;

import java.util.Map;

/**
 * Starts the span of each routed request. The span's context travels into the request's Camel exchange as headers
 * ({@code traceparent}, {@code tracestate}), so that the route's spans, and whatever the route sends on (a Kafka
 * record), belong to the request's trace.
 */
public interface RequestTracer {
    /** Traces nothing and costs nothing: tracing is off. */
    RequestTracer NONE = (operation, connectionId, sequence) -> RequestSpan.NONE;

    /**
     * Starts the span of one request.
     *
     * @param operation    the {@code sluice:} endpoint the request goes to, for example {@code sluice:outbound}
     * @param connectionId the connection's id, as in the logs
     * @param sequence     the request's sequence (0 for the gateway's own calls)
     */
    RequestSpan start(String operation, String connectionId, long sequence);

    /** One request's span. */
    interface RequestSpan {
        /** A span that records nothing. */
        RequestSpan NONE = new RequestSpan() {
            @Override
            public Map<String, String> headers() {
                return Map.of();
            }

            @Override
            public void end(Throwable failure) {}
        };

        /** The headers that carry the span's context into the exchange. */
        Map<String, String> headers();

        /** Ends the span; {@code failure} is null when the request succeeded. */
        void end(Throwable failure);
    }
}
