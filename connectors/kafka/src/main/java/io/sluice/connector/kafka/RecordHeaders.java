package io.sluice.connector.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.serde.KafkaHeaderDeserializer;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The Kafka record headers of the connector. A record of the topic has the recipient's Address text,
 * {@code <userID base64url>.<deviceID>}, as its key and its sealed bytes, untouched, as its value; its headers
 * name the recipient again, so that tools reading the topic need not parse the key:
 *
 * <table>
 *   <caption>Record headers, all UTF-8 text</caption>
 *   <tr><th>header</th><th>on</th><th>value</th></tr>
 *   <tr><td>{@value #USER_ID}</td><td>topic</td><td>the recipient's UserID, base64url</td></tr>
 *   <tr><td>{@value #DEVICE_ID}</td><td>topic</td><td>the recipient's device ID, unsigned decimal</td></tr>
 *   <tr><td>{@value #DEAD_LETTER_REASON}</td><td>dead-letter topic</td><td>why the record was not delivered</td></tr>
 *   <tr><td>{@value #SOURCE}</td><td>dead-letter topic</td><td>where it was read,
 *       {@code <topic>-<partition>-<offset>}</td></tr>
 * </table>
 *
 * <p>A producer other than Sluice may leave the two recipient headers out; when present they must agree with the
 * key. As a header filter of the outbound endpoint this class lets only the recipient headers and the W3C trace
 * context ({@code traceparent}, {@code tracestate}, when tracing is on) through, so that the gateway's exchange
 * headers (connection ids, sequence numbers) stay out of the topic.
 */
public final class RecordHeaders implements HeaderFilterStrategy, KafkaHeaderDeserializer {
    /** The recipient's UserID, base64url. */
    public static final String USER_ID = "sluice-user-id";
    /** The recipient's device ID, unsigned decimal. */
    public static final String DEVICE_ID = "sluice-device-id";
    /** On the dead-letter topic: why the record was not delivered. */
    public static final String DEAD_LETTER_REASON = "sluice-dead-letter-reason";
    /** On the dead-letter topic: where the record was read, {@code <topic>-<partition>-<offset>}. */
    public static final String SOURCE = "sluice-source";

    /** W3C trace context: the span of the sender's request, which the consuming gateway's span joins. */
    public static final String TRACEPARENT = "traceparent";
    /** W3C trace context: vendor state that travels with {@link #TRACEPARENT}. */
    public static final String TRACESTATE = "tracestate";

    /** Keeps every exchange header but the recipient headers and the W3C trace context out of the record. */
    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !(USER_ID.equals(headerName)
                || DEVICE_ID.equals(headerName)
                || TRACEPARENT.equals(headerName)
                || TRACESTATE.equals(headerName));
    }

    /**
     * As the inbound endpoint's header deserializer: the W3C trace context as text, so that the tracer finds the
     * sender's span in the exchange headers (it reads text headers only); every other header stays bytes.
     */
    @Override
    public Object deserialize(String key, byte[] value) {
        return (TRACEPARENT.equals(key) || TRACESTATE.equals(key)) && value != null
                ? new String(value, StandardCharsets.UTF_8)
                : value;
    }

    /** Not used by a producer; nothing to filter. */
    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return false;
    }
}
