package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's logs, JSON at debug: one JSON object per line, connection ids in, key material and bodies out. */
class LogsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void everyLineIsOneJsonEventWithConnectionIdsAndNoKeyMaterialOrMessageBodies() throws Exception {
        List<String> output;
        try (GatewayProcess gateway = GatewayProcess.start(
                dataDir,
                Map.of(
                        "sluice.log.format",
                        "json",
                        "sluice.log.level",
                        "debug",
                        "sluice.log.connections",
                        "debug",
                        "sluice.prekeys.check-interval",
                        "1h"))) {
            Identity bob = Identity.generate();
            SluiceClient phone = SluiceClient.connect(gateway.uri()).get();
            phone.login(bob, 1).get();
            phone.register(7, bytes("SIGNED-PREKEY-MARKER"), List.of(bytes("ONE-TIME-PREKEY-MARKER")))
                    .get();
            SluiceClient alice = SluiceClient.connect(gateway.uri()).get();
            assertThat(alice.requestPreKeys(bob.userId(), Set.of()).get()).hasSize(1);
            alice.send(bob.userId(), 1, bytes("MESSAGE-BODY-MARKER")).get();
            Inbound message = phone.nextInbound(Duration.ofSeconds(10));
            message.ack();
            alice.close();
            phone.close();
            gateway.terminate();
            assertThat(gateway.awaitExit(Duration.ofSeconds(30))).isZero();
            output = gateway.output();
        }

        List<JsonNode> events = new ArrayList<>();
        for (String line : output) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.isObject()).as(line).isTrue();
            assertThat(event.has("ts") && event.has("level") && event.has("logger"))
                    .as(line)
                    .isTrue();
            events.add(event);
        }
        assertThat(events)
                .extracting(e -> e.path("event").asText())
                .contains("started", "login", "closed", "shutdown.started", "stopped");
        assertThat(events)
                .filteredOn(e -> e.path("event").asText().equals("login"))
                .allSatisfy(e -> assertThat(e.path("conn").asText()).isNotBlank());
        assertThat(String.join("\n", output))
                .doesNotContain("SIGNED-PREKEY-MARKER", "ONE-TIME-PREKEY-MARKER", "MESSAGE-BODY-MARKER");
    }
}
