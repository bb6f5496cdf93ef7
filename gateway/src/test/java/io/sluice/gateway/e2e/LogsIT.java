package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayProcess;
import io.sluice.gateway.testing.Logfmt;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The jar's logs: one JSON object or one strict logfmt line per event, library lines included (Kafka's multi-line
 * configuration dumps, its connection warnings), connection ids in, key material, bodies and user ids out.
 */
class LogsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void everyLineIsOneJsonEventWithConnectionIdsAndNoKeyMaterialOrMessageBodies() throws Exception {
        Identity bob = Identity.generate();
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
                .doesNotContain("SIGNED-PREKEY-MARKER", "ONE-TIME-PREKEY-MARKER", "MESSAGE-BODY-MARKER")
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(bob.userId()));
    }

    /** Kafka's clients log multi-line messages (their configuration) and warn while the broker is down. */
    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void everyLineIncludingLibraryLinesIsWellFormed(String format) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Identity bob = Identity.generate();
        List<String> output;
        try (GatewayProcess gateway = GatewayProcess.start(
                dataDir,
                Map.of(
                        "sluice.log.format", format,
                        "sluice.log.connections", "debug",
                        // Kafka's configuration dump is at INFO, below the libraries' default of WARN.
                        "sluice.log.libraries", "info",
                        "sluice.routes", "classpath:routes/kafka.yaml",
                        "sluice.kafka.brokers", "127.0.0.1:" + closedPort,
                        "sluice.kafka.producer-timeout", "1s",
                        "sluice.prekeys.check-interval", "1h"))) {
            SluiceClient phone = SluiceClient.connect(gateway.uri()).get();
            phone.login(bob, 1).get();
            SluiceClient alice = SluiceClient.connect(gateway.uri()).get();
            assertThatThrownBy(() -> alice.send(bob.userId(), 1, bytes("MESSAGE-BODY-MARKER"))
                            .get())
                    .hasMessageContaining("unavailable");
            alice.close();
            phone.close();
            gateway.terminate();
            assertThat(gateway.awaitExit(Duration.ofSeconds(30))).isZero();
            output = gateway.output();
        }

        List<Map<String, String>> events = new ArrayList<>();
        for (String line : output) {
            Map<String, String> event = new LinkedHashMap<>();
            if (format.equals("json")) {
                JSON.readTree(line)
                        .fields()
                        .forEachRemaining(
                                f -> event.put(f.getKey(), f.getValue().asText()));
            } else {
                event.putAll(Logfmt.parse(line));
            }
            assertThat(event.keySet()).as(line).startsWith("ts", "level", "logger");
            events.add(event);
        }
        assertThat(events)
                .as("a library's multi-line message, kept whole on its line")
                .anySatisfy(e -> assertThat(e.get("msg"))
                        .startsWith("ProducerConfig values:")
                        .contains("\n\tacks = "));
        assertThat(events)
                .as("a library's warning")
                .anySatisfy(e -> assertThat(e.get("logger")).isEqualTo("NetworkClient"));
        assertThat(events).extracting(e -> e.get("event")).contains("started", "login", "request.failed", "stopped");
        assertThat(String.join("\n", output))
                .doesNotContain("MESSAGE-BODY-MARKER")
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(bob.userId()));
    }
}
