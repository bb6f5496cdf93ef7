package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

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

/** examples/mqtt: sealed messages through a real MQTT 5 broker, between real clients of a real gateway. */
class Mqtt5BridgeIT {
    @RegisterExtension
    @Order(0)
    static final MqttBus MQTT = MqttBus.named("sealed");

    @RegisterExtension
    @Order(1)
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(MQTT.settings(
            "sluice.mqtt",
            Map.of("sluice.routes", Examples.routes("mqtt").toString(), "sluice.prekeys.check-interval", "1h")));

    private static String topic(Identity identity, int deviceId, String messageId) {
        return MQTT.topicPrefix() + "/" + UserId.of(identity.userId()) + "." + deviceId + "/" + messageId;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripsAThousandMessagesInOrderThroughTheBroker() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient device = GATEWAY.login(bob, 1);
        List<String> sent = RoundTrip.messages("mqtt", 1000);

        try (MqttBus.Tap tap = MQTT.tap()) {
            RoundTrip.send(GATEWAY, bob, sent);

            assertThat(RoundTrip.receive(device, sent.size())).containsExactlyElementsOf(sent);
            List<MqttBus.Received> published = tap.take(sent.size(), Duration.ofSeconds(30));
            assertThat(published)
                    .extracting(r -> new String(r.payload(), StandardCharsets.UTF_8))
                    .containsExactlyElementsOf(sent);
            String recipientLevel = MQTT.topicPrefix() + "/" + UserId.of(bob.userId()) + ".1/";
            assertThat(published).allSatisfy(r -> {
                assertThat(r.topic()).startsWith(recipientLevel);
                assertThat(r.topic().substring(recipientLevel.length()))
                        .as("a message id")
                        .hasSize(36);
                assertThat(r.qos()).isEqualTo(1);
            });
            assertThat(published).extracting(MqttBus.Received::topic).doesNotHaveDuplicates();
        }
    }

    @Test
    void aMessagePublishedTwiceOnItsTopicIsDeliveredOnce() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient device = GATEWAY.login(bob, 1);
        String id = UUID.randomUUID().toString();

        MQTT.publish(topic(bob, 1, id), bytes("once"));
        MQTT.publish(topic(bob, 1, id), bytes("once"));
        MQTT.publish(topic(bob, 1, UUID.randomUUID().toString()), bytes("next"));

        // One subscription, read in order: "next" arriving second means the copy was dropped, not delayed.
        assertThat(RoundTrip.receive(device, 2)).containsExactly("once", "next");
    }

    @Test
    void aMessageOnATopicWithoutAddressIsDroppedAndDeliveryGoesOn() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient device = GATEWAY.login(bob, 1);

        MQTT.publish(MQTT.topicPrefix() + "/nobody/" + UUID.randomUUID(), bytes("lost"));
        MQTT.publish(topic(bob, 1, UUID.randomUUID().toString()), bytes("after"));

        assertThat(RoundTrip.receive(device, 1)).containsExactly("after");
    }
}
