package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Delivery;
import io.nats.client.api.MessageInfo;
import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayExtension;
import io.sluice.spi.UserId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * examples/audit-fanout: delivery through NATS JetStream, and every sealed message also copied to a RabbitMQ
 * queue for audit, without the copy changing delivery.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditFanOutIT {
    @RegisterExtension
    @Order(0)
    static final NatsBus DELIVERY = NatsBus.named("delivery");

    @RegisterExtension
    @Order(1)
    static final RabbitMqBus AUDIT = RabbitMqBus.named("audit");

    @RegisterExtension
    @Order(2)
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(AUDIT.settings(
            "sluice.audit.rabbitmq",
            DELIVERY.settings(
                    "sluice.nats",
                    Map.of(
                            "sluice.routes",
                            Examples.routes("audit-fanout").toString(),
                            "sluice.prekeys.check-interval",
                            "1h"))));

    @BeforeAll
    static void streamCreated() {
        await().atMost(Duration.ofSeconds(30)).until(DELIVERY::streamExists);
    }

    @Test
    @Order(1)
    void deliversAThousandMessagesInOrderAndCopiesEachToTheAuditQueue() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient device = GATEWAY.login(bob, 1);
        List<String> sent = RoundTrip.messages("audited", 1000);
        int storedBefore = DELIVERY.storedMessages().size();

        try (RabbitMqBus.Consumer audit = AUDIT.consume(AUDIT.queue())) {
            RoundTrip.send(GATEWAY, bob, sent);

            assertThat(RoundTrip.receive(device, sent.size())).containsExactlyElementsOf(sent);
            List<MessageInfo> delivered = DELIVERY.storedMessages();
            assertThat(delivered.subList(storedBefore, delivered.size()))
                    .as("delivery went through the stream, once each")
                    .extracting(m -> new String(m.getData(), StandardCharsets.UTF_8))
                    .containsExactlyElementsOf(sent);
            List<Delivery> copies = audit.take(sent.size(), Duration.ofSeconds(30));
            assertThat(copies)
                    .extracting(d -> new String(d.getBody(), StandardCharsets.UTF_8))
                    .containsExactlyElementsOf(sent);
            assertThat(copies)
                    .allSatisfy(
                            d -> assertThat(d.getEnvelope().getRoutingKey()).isEqualTo(UserId.of(bob.userId()) + ".1"));
        }
    }

    @Test
    @Order(2)
    void deliveryGoesOnWhenTheAuditBusFails() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient device = GATEWAY.login(bob, 1);
        List<String> sent = RoundTrip.messages("unaudited", 20);
        long copiesBefore = AUDIT.messageCount(AUDIT.queue());
        AUDIT.deleteExchange(AUDIT.exchange()); // every audit publish now fails: the exchange is gone

        RoundTrip.send(GATEWAY, bob, sent);

        assertThat(AUDIT.messageCount(AUDIT.queue()))
                .as("the copies failed (each before its ack)")
                .isEqualTo(copiesBefore);
        assertThat(RoundTrip.receive(device, sent.size())).containsExactlyElementsOf(sent);
    }
}
