package io.sluice.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayExtension;
import io.sluice.gateway.testing.RawWebSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keepalive over a real socket, with a 300 ms ping interval and so a 900 ms idle timeout: a client that answers
 * pings stays connected however long it is idle; a peer that does not is closed and dropped.
 */
class KeepaliveIT {
    private static final Duration PING_INTERVAL = Duration.ofMillis(300);

    @RegisterExtension
    static final GatewayExtension GATEWAY =
            GatewayExtension.withSettings(Map.of("sluice.ws.ping-interval", PING_INTERVAL.toMillis() + "ms"));

    @Test
    void idleClientThatAnswersPingsOutlivesThreePingIntervalsAndTheIdleTimeout() throws Exception {
        SluiceClient client = GATEWAY.connect();
        long opened = System.nanoTime();

        // Five pings are at least 5 × 80% of the interval apart from the open: past the 900 ms idle timeout.
        await().atMost(Duration.ofSeconds(10)).until(() -> client.pingsReceived() >= 5);
        assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThan(PING_INTERVAL.multipliedBy(3));
        assertThat(client.isOpen()).isTrue();
        assertThat(client.closed()).isNotDone();

        client.login(Identity.generate(), 1).get();
    }

    @Test
    void peerThatNeverAnswersPingsIsClosedWith1001AndDropped() throws Exception {
        try (RawWebSocket dead = RawWebSocket.connect(GATEWAY.uri())) {
            assertThat(dead.upgradeStatus()).isEqualTo(101);
            await().atMost(Duration.ofSeconds(10)).until(dead::ended);

            assertThat(dead.count(RawWebSocket.PING))
                    .as("pings sent before giving up")
                    .isPositive();
            assertThat(dead.frames()).last().satisfies(frame -> {
                assertThat(frame.opcode()).isEqualTo(RawWebSocket.CLOSE);
                assertThat(frame.closeStatus()).isEqualTo(1001);
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> GATEWAY.gateway().connectionCount() == 0);
        }
    }
}
