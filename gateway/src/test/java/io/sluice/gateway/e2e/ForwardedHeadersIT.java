package io.sluice.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.testing.GatewayExtension;
import io.sluice.gateway.testing.RawWebSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Behind a proxy (sluice.ws.forwarded-headers), the per-IP limit counts the forwarded clients, not the proxy. */
class ForwardedHeadersIT {
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(Map.of(
            "sluice.ws.forwarded-headers", "true",
            "sluice.limits.connections-per-ip", "1"));

    @Test
    void connectionsPerIpCountTheForwardedClientAddress() throws Exception {
        try (RawWebSocket first = RawWebSocket.connect(GATEWAY.uri(), Map.of("X-Forwarded-For", "203.0.113.7"));
                RawWebSocket other = RawWebSocket.connect(GATEWAY.uri(), Map.of("X-Forwarded-For", "203.0.113.8"));
                RawWebSocket again = RawWebSocket.connect(GATEWAY.uri(), Map.of("X-Forwarded-For", "203.0.113.7"))) {
            await().atMost(Duration.ofSeconds(10)).until(again::ended);
            assertThat(again.frames())
                    .singleElement()
                    .satisfies(frame -> assertThat(frame.closeStatus()).isEqualTo(1013));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> first.count(RawWebSocket.BINARY) == 1 && other.count(RawWebSocket.BINARY) == 1);
            assertThat(first.ended()).isFalse();
            assertThat(other.ended())
                    .as("one proxy, two clients: both admitted")
                    .isFalse();
        }
    }
}
