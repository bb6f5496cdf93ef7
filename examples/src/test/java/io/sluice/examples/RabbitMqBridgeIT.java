package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Delivery;
import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayExtension;
import io.sluice.spi.UserId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** examples/rabbitmq: sealed messages through a real RabbitMQ, between real clients of a real gateway. */
class RabbitMqBridgeIT {
    @RegisterExtension
    @Order(0)
    static final RabbitMqBus RABBIT = RabbitMqBus.named("sealed");

    @RegisterExtension
    @Order(1)
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(RABBIT.settings(
            "sluice.rabbitmq",
            Map.of("sluice.routes", Examples.routes("rabbitmq").toString(), "sluice.prekeys.check-interval", "1h")));

    private static String address(Identity identity, int deviceId) {
        return UserId.of(identity.userId()) + "." + deviceId;
    }

    @Test
    void roundTripsAThousandMessagesInOrderThroughTheExchange() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient device = GATEWAY.login(bob, 1);
        List<String> sent = RoundTrip.messages("rabbit", 1000);

        try (RabbitMqBus.Consumer tap = RABBIT.tap()) {
            RoundTrip.send(GATEWAY, bob, sent);

            assertThat(RoundTrip.receive(device, sent.size())).containsExactlyElementsOf(sent);
            List<Delivery> published = tap.take(sent.size(), Duration.ofSeconds(30));
            assertThat(published)
                    .extracting(d -> new String(d.getBody(), StandardCharsets.UTF_8))
                    .containsExactlyElementsOf(sent);
            assertThat(published).allSatisfy(d -> {
                assertThat(d.getEnvelope().getRoutingKey()).isEqualTo(address(bob, 1));
                assertThat(d.getProperties().getMessageId()).isNotBlank();
                assertThat(d.getProperties().getDeliveryMode()).as("persistent").isEqualTo(2);
                assertThat(d.getProperties().getHeaders())
                        .as("the recipient, nothing of the sender")
                        .containsOnlyKeys("SluiceUserId", "SluiceDeviceId");
            });
            assertThat(published)
                    .extracting(d -> d.getProperties().getMessageId())
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void aMessageRedeliveredWithItsMessageIdIsDeliveredOnce() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient device = GATEWAY.login(bob, 1);
        String id = UUID.randomUUID().toString();

        RABBIT.publish(address(bob, 1), id, "once".getBytes(StandardCharsets.UTF_8));
        RABBIT.publish(address(bob, 1), id, "once".getBytes(StandardCharsets.UTF_8));
        RABBIT.publish(address(bob, 1), UUID.randomUUID().toString(), "next".getBytes(StandardCharsets.UTF_8));

        // The queue is read in order: "next" arriving second means the copy was dropped, not delayed.
        assertThat(RoundTrip.receive(device, 2)).containsExactly("once", "next");
    }

    @Test
    void aMessageForNoAddressIsDroppedAndTheQueueGoesOn() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient device = GATEWAY.login(bob, 1);

        RABBIT.publish("not-an-address", UUID.randomUUID().toString(), "lost".getBytes(StandardCharsets.UTF_8));
        RABBIT.publish(address(bob, 1), UUID.randomUUID().toString(), "after".getBytes(StandardCharsets.UTF_8));

        assertThat(RoundTrip.receive(device, 1)).containsExactly("after");
    }
}
