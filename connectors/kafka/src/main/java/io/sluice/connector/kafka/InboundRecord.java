package io.sluice.connector.kafka;

import io.sluice.connector.support.SluiceExchanges;
import io.sluice.connector.support.SluiceSettings;
import io.sluice.spi.Address;
import io.sluice.spi.SluiceException;
import io.sluice.spi.SluiceHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Checks a record read from the topic before it goes to {@code sluice:deliver}. A deliverable record gets the
 * recipient's Address headers and {@code SluiceMessageId} = {@code <topic>-<partition>@<offset>}, which makes
 * queueing it again after a crash a no-op. A poison record (no key or one that is no Address, recipient headers
 * that disagree with the key, no value, or a value over {@code sluice.kafka.max-message-bytes}) gets the
 * {@link RecordHeaders#DEAD_LETTER_REASON} and {@link RecordHeaders#SOURCE} headers instead, for the route to
 * send it to the dead-letter topic.
 */
public final class InboundRecord implements Processor, CamelContextAware {
    private static final int MAX_QUOTED = 80;

    private CamelContext camel;
    private long maxMessageBytes = 512 * 1024;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camel = camelContext;
        this.maxMessageBytes =
                KafkaConnectorSettings.from(SluiceSettings.of(camelContext)).maxMessageBytes();
    }

    @Override
    public CamelContext getCamelContext() {
        return camel;
    }

    /** For use outside a route file: the largest value delivered. */
    public void setMaxMessageBytes(long maxMessageBytes) {
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes: " + maxMessageBytes + " (expected: > 0)");
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String source = message.getHeader(KafkaConstants.TOPIC) + "-" + message.getHeader(KafkaConstants.PARTITION)
                + "-" + message.getHeader(KafkaConstants.OFFSET);
        String reason;
        try {
            Address recipient = recipient(message);
            reason = valueProblem(message.getBody(byte[].class));
            if (reason == null) {
                SluiceExchanges.setAddress(message, recipient);
                // <topic>-<partition>@<offset>: offsets only grow along a partition, so the queue keeps one
                // number per partition, not one id per record.
                message.setHeader(
                        SluiceHeaders.MESSAGE_ID,
                        message.getHeader(KafkaConstants.TOPIC) + "-" + message.getHeader(KafkaConstants.PARTITION)
                                + "@" + message.getHeader(KafkaConstants.OFFSET));
                return;
            }
        } catch (PoisonRecord e) {
            reason = e.getMessage();
        }
        message.removeHeader(SluiceHeaders.MESSAGE_ID);
        message.setHeader(RecordHeaders.DEAD_LETTER_REASON, reason);
        message.setHeader(RecordHeaders.SOURCE, source);
    }

    private static Address recipient(Message message) {
        Object key = message.getHeader(KafkaConstants.KEY);
        if (key == null) {
            throw new PoisonRecord("no key (expected: the recipient's Address, <userID base64url>.<deviceID>)");
        }
        String text = key instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : key.toString();
        Address recipient;
        try {
            recipient = Address.parse(text);
        } catch (SluiceException | IllegalArgumentException e) {
            throw new PoisonRecord("key: '" + quoted(text) + "' (expected: <userID base64url>.<deviceID>)");
        }
        String userId = headerText(message, RecordHeaders.USER_ID);
        if (userId != null && !userId.equals(recipient.userId().toString())) {
            throw new PoisonRecord(RecordHeaders.USER_ID + ": '" + quoted(userId) + "' (expected: the key's UserID)");
        }
        String deviceId = headerText(message, RecordHeaders.DEVICE_ID);
        if (deviceId != null && !deviceId.equals(Integer.toUnsignedString(recipient.deviceId()))) {
            throw new PoisonRecord(RecordHeaders.DEVICE_ID + ": '" + quoted(deviceId)
                    + "' (expected: the key's device ID, " + Integer.toUnsignedString(recipient.deviceId()) + ")");
        }
        return recipient;
    }

    private String valueProblem(byte[] value) {
        if (value == null) {
            return "no value (expected: sealed bytes)";
        }
        if (value.length > maxMessageBytes) {
            return "value: " + value.length + " bytes (expected: at most " + maxMessageBytes
                    + ", sluice.kafka.max-message-bytes)";
        }
        return null;
    }

    private static String headerText(Message message, String name) {
        Object value = message.getHeader(name);
        if (value == null) {
            return null;
        }
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
    }

    private static String quoted(String text) {
        return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "...";
    }

    /** Why a record cannot be delivered; never leaves this class. */
    private static final class PoisonRecord extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PoisonRecord(String reason) {
            super(reason, null, false, false);
        }
    }
}
