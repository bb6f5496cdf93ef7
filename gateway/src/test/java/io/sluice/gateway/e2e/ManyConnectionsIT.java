package io.sluice.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A few hundred connections at once, authenticated and anonymous, each getting exactly its own messages. */
class ManyConnectionsIT {
    private static final int DEVICES = 300;

    @RegisterExtension
    static final GatewayExtension GATEWAY =
            GatewayExtension.withSettings(Map.of("sluice.prekeys.check-interval", "1h"));

    @Test
    void threeHundredDevicesEachReceiveTheirOwnMessagesFromThreeHundredSenders() throws Exception {
        List<Identity> identities = new ArrayList<>();
        List<CompletableFuture<SluiceClient>> connecting = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            identities.add(Identity.generate());
            connecting.add(SluiceClient.connect(GATEWAY.uri()));
            connecting.add(SluiceClient.connect(GATEWAY.uri()));
        }
        List<SluiceClient> devices = new ArrayList<>();
        List<SluiceClient> senders = new ArrayList<>();
        List<CompletableFuture<Void>> logins = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            SluiceClient device = connecting.get(2 * i).get(30, TimeUnit.SECONDS);
            devices.add(device);
            senders.add(connecting.get(2 * i + 1).get(30, TimeUnit.SECONDS));
            logins.add(device.login(identities.get(i), 1));
        }
        try {
            CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> GATEWAY.gateway().connectionCount() == 2 * DEVICES);

            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                // Sender i writes to device (i + 1) % N, so no connection talks to its own pair.
                int to = (i + 1) % DEVICES;
                sends.add(senders.get(i)
                        .send(identities.get(to).userId(), 1, ("for " + to).getBytes(StandardCharsets.UTF_8)));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            for (int i = 0; i < DEVICES; i++) {
                Inbound message = devices.get(i).nextInbound(Duration.ofSeconds(10));
                assertThat(message).as("device %d", i).isNotNull();
                assertThat(new String(message.body(), StandardCharsets.UTF_8)).isEqualTo("for " + i);
                message.ack();
            }
        } finally {
            devices.forEach(SluiceClient::close);
            senders.forEach(SluiceClient::close);
        }
    }
}
