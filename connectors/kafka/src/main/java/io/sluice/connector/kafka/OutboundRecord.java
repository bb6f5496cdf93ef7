package io.sluice.connector.kafka;

import io.sluice.connector.support.SluiceExchanges;
import io.sluice.spi.Address;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Turns a {@code sluice:outbound} exchange into a record of the topic: the recipient's Address text as the key
 * and the recipient headers of {@link RecordHeaders}; the body, the sealed bytes, stays as it is.
 */
public final class OutboundRecord implements Processor {

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Address recipient = SluiceExchanges.address(message);
        message.setHeader(KafkaConstants.KEY, recipient.toString());
        message.setHeader(RecordHeaders.USER_ID, recipient.userId().toString());
        message.setHeader(RecordHeaders.DEVICE_ID, Integer.toUnsignedString(recipient.deviceId()));
    }
}
