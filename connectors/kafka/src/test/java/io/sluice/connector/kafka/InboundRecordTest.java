package io.sluice.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Address;
import io.sluice.spi.SluiceHeaders;
import io.sluice.spi.UserId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class InboundRecordTest {
    private static final Address BOB = new Address(UserId.of(userIdBytes()), 2);

    private final InboundRecord inbound = new InboundRecord();

    InboundRecordTest() {
        inbound.setMaxMessageBytes(16);
    }

    @Test
    void deliverableRecordGetsTheAddressAndAnIdOfItsPosition() {
        Exchange exchange = record(BOB.toString(), "sealed");

        inbound.process(exchange);

        Message message = exchange.getMessage();
        assertThat(message.getHeader(SluiceHeaders.ADDRESS)).isEqualTo(BOB);
        assertThat(message.getHeader(SluiceHeaders.MESSAGE_ID)).isEqualTo("sluice.sealed-3@41");
        assertThat(message.getHeader(RecordHeaders.DEAD_LETTER_REASON)).isNull();
    }

    @Test
    void recipientHeadersThatAgreeWithTheKeyAreFine() {
        Exchange exchange = record(BOB.toString(), "sealed");
        exchange.getMessage()
                .setHeader(RecordHeaders.USER_ID, BOB.userId().toString().getBytes(StandardCharsets.UTF_8));
        exchange.getMessage().setHeader(RecordHeaders.DEVICE_ID, "2".getBytes(StandardCharsets.UTF_8));

        inbound.process(exchange);

        assertThat(exchange.getMessage().getHeader(RecordHeaders.DEAD_LETTER_REASON))
                .isNull();
    }

    @Test
    void recordWithoutKeyIsPoison() {
        assertThat(reason(record(null, "sealed"))).startsWith("no key");
    }

    @Test
    void recordWhoseKeyIsNoAddressIsPoison() {
        assertThat(reason(record("bob", "sealed"))).isEqualTo("key: 'bob' (expected: <userID base64url>.<deviceID>)");
    }

    @Test
    void recordWhoseUserHeaderNamesSomeoneElseIsPoison() {
        Exchange exchange = record(BOB.toString(), "sealed");
        exchange.getMessage().setHeader(RecordHeaders.USER_ID, "someone".getBytes(StandardCharsets.UTF_8));

        assertThat(reason(exchange)).isEqualTo("sluice-user-id: 'someone' (expected: the key's UserID)");
    }

    @Test
    void recordOverTheSizeLimitIsPoison() {
        assertThat(reason(record(BOB.toString(), "seventeen bytes!!")))
                .isEqualTo("value: 17 bytes (expected: at most 16, sluice.kafka.max-message-bytes)");
    }

    @Test
    void recordWithoutValueIsPoison() {
        assertThat(reason(record(BOB.toString(), null))).startsWith("no value");
    }

    @Test
    void poisonRecordCarriesWhereItWasRead() {
        Exchange exchange = record(null, "sealed");

        inbound.process(exchange);

        assertThat(exchange.getMessage().getHeader(RecordHeaders.SOURCE)).isEqualTo("sluice.sealed-3-41");
        assertThat(exchange.getMessage().getHeader(SluiceHeaders.MESSAGE_ID)).isNull();
    }

    private String reason(Exchange exchange) {
        inbound.process(exchange);
        return exchange.getMessage().getHeader(RecordHeaders.DEAD_LETTER_REASON, String.class);
    }

    private static Exchange record(String key, String value) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        Message message = exchange.getMessage();
        message.setHeader(KafkaConstants.KEY, key);
        message.setHeader(KafkaConstants.TOPIC, "sluice.sealed");
        message.setHeader(KafkaConstants.PARTITION, 3);
        message.setHeader(KafkaConstants.OFFSET, 41L);
        message.setBody(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }

    private static byte[] userIdBytes() {
        byte[] bytes = new byte[UserId.LENGTH];
        Arrays.fill(bytes, (byte) 7);
        bytes[0] = UserId.TYPE_ED25519;
        return bytes;
    }
}
