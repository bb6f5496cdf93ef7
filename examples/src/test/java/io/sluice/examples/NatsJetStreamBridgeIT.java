package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.api.MessageInfo;
import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayExtension;
import io.sluice.spi.UserId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** examples/nats: sealed messages through a real NATS JetStream stream, between real clients of a real gateway. */
class NatsJetStreamBridgeIT {
    @RegisterExtension
    @Order(0)
    static final NatsBus NATS = NatsBus.named("sealed");

    @RegisterExtension
    @Order(1)
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(NATS.settings(
            "sluice.nats",
            Map.of("sluice.routes", Examples.routes("nats").toString(), "sluice.prekeys.check-interval", "1h")));

    /** The consumer route creates the stream right after start-up; until then sends answer unavailable. */
    @BeforeAll
    static void streamCreated() {
        await().atMost(Duration.ofSeconds(30)).until(NATS::streamExists);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> recipient(Identity identity, int deviceId) {
        return Map.of(
                "SluiceUserId", UserId.of(identity.userId()).toString(), "SluiceDeviceId", Integer.toString(deviceId));
    }

    @Test
    void roundTripsAThousandMessagesInOrderThroughTheStream() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient device = GATEWAY.login(bob, 1);
        List<String> sent = RoundTrip.messages("nats", 1000);
        int before = NATS.storedMessages().size();

        RoundTrip.send(GATEWAY, bob, sent);

        assertThat(RoundTrip.receive(device, sent.size())).containsExactlyElementsOf(sent);
        List<MessageInfo> stored = NATS.storedMessages();
        stored = stored.subList(before, stored.size());
        assertThat(stored)
                .extracting(m -> new String(m.getData(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(sent);
        assertThat(stored).allSatisfy(m -> {
            assertThat(m.getSubject()).isEqualTo(NATS.subject());
            assertThat(m.getHeaders().getFirst("SluiceUserId"))
                    .isEqualTo(UserId.of(bob.userId()).toString());
            assertThat(m.getHeaders().getFirst("SluiceDeviceId")).isEqualTo("1");
            assertThat(m.getHeaders().keySet())
                    .as("the recipient and the message id, nothing of the sender")
                    .containsExactlyInAnyOrder("SluiceUserId", "SluiceDeviceId", "Nats-Msg-Id");
        });
        assertThat(stored)
                .extracting(m -> m.getHeaders().getFirst("Nats-Msg-Id"))
                .doesNotHaveDuplicates();
    }

    @Test
    void aMessageStoredTwiceWithOneMessageIdIsDeliveredOnce() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient device = GATEWAY.login(bob, 1);
        Map<String, String> once = new HashMap<>(recipient(bob, 1));
        once.put("Nats-Msg-Id", UUID.randomUUID().toString());
        Map<String, String> next = new HashMap<>(recipient(bob, 1));
        next.put("Nats-Msg-Id", UUID.randomUUID().toString());
        NATS.duplicateWindow(Duration.ofMillis(100));

        assertThat(NATS.publish(once, bytes("once")).isDuplicate()).isFalse();
        // Past JetStream's own de-duplication window the copy is stored: the gateway sees it, as a redelivery.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !NATS.publish(once, bytes("once")).isDuplicate());
        NATS.publish(next, bytes("next"));

        // The stream is read in order: "next" arriving second means the copy was dropped, not delayed.
        assertThat(RoundTrip.receive(device, 2)).containsExactly("once", "next");
    }

    @Test
    void aMessageWithoutRecipientIsDroppedAndTheStreamGoesOn() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient device = GATEWAY.login(bob, 1);

        NATS.publish(Map.of("Nats-Msg-Id", UUID.randomUUID().toString()), bytes("lost"));
        NATS.publish(recipient(bob, 1), bytes("after"));

        assertThat(RoundTrip.receive(device, 1)).containsExactly("after");
    }
}
