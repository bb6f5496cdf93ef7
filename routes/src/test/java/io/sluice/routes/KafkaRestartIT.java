package io.sluice.routes;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayProcess;
import io.sluice.testing.kafka.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway jar in Kafka mode, restarted and doubled: a gateway killed with -9 and started again on its data
 * gets its partitions back at once (static group membership), not after the dead member's session expired; and a
 * second gateway joining the group of an embedded queue is refused readiness with an ERROR line naming the fix.
 */
class KafkaRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private final String run = UUID.randomUUID().toString();
    private final HttpClient http = HttpClient.newHttpClient();
    private GatewayProcess first;
    private GatewayProcess second;

    @TempDir
    Path firstData;

    @TempDir
    Path secondData;

    @AfterEach
    void stop() throws Exception {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aGatewayKilledAndRestartedDeliversAgainWithinSecondsNotAfterTheSessionTimeout() throws Exception {
        first = GatewayProcess.start(firstData, settings());
        Identity bob = Identity.generate();
        assertThat(roundTrip(first, bob, "before the kill")).isLessThan(WAIT);

        first.kill9();
        first.close();
        first = GatewayProcess.start(firstData, settings());
        Duration recovery = roundTrip(first, bob, "after the restart");
        System.out.println("kafka restart: from the restart to a message delivered in " + recovery.toMillis() + " ms");

        // A restart that waited for the dead member's session to expire would take that long (45 s by Kafka's
        // default, 15 s by the connector's).
        assertThat(recovery).as("from the restart to a message delivered").isLessThan(Duration.ofSeconds(5));
        assertThat(first.output())
                .as("Kafka's clients log at WARN by default")
                .noneMatch(line -> line.contains("level=INFO") && line.contains("logger=org.apache.kafka"));
    }

    @Test
    void aSecondGatewayInTheGroupOfAnEmbeddedQueueIsNotReadyAndSaysWhy() throws Exception {
        first = GatewayProcess.start(firstData, settings());
        second = GatewayProcess.start(secondData, settings());

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(readyz(second)).isEqualTo(503);
            assertThat(second.output())
                    .anyMatch(line -> line.contains("level=ERROR")
                            && line.contains("event=kafka_group_shared_with_embedded_queue")
                            && line.contains("sluice.queue.type=redis"));
        });
        assertThat(readyz(first)).isEqualTo(503);
    }

    private Duration roundTrip(GatewayProcess gateway, Identity bob, String body) throws Exception {
        long start = System.nanoTime();
        try (SluiceClient bobDevice = SluiceClient.connect(gateway.uri()).get(30, TimeUnit.SECONDS);
                SluiceClient sender = SluiceClient.connect(gateway.uri()).get(30, TimeUnit.SECONDS)) {
            bobDevice.login(bob, 1).get(30, TimeUnit.SECONDS);
            sender.send(bob.userId(), 1, bytes(body)).get(30, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> {
                for (Inbound m = bobDevice.nextInbound(Duration.ofMillis(100));
                        m != null;
                        m = bobDevice.nextInbound(Duration.ofMillis(100))) {
                    m.ack();
                    if (text(m.body()).equals(body)) {
                        return true;
                    }
                }
                return false;
            });
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private int readyz(GatewayProcess gateway) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(gateway.adminUri() + "/readyz"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private Map<String, String> settings() {
        return RouteFixtures.kafka(KAFKA.bootstrapServers(), "restart-" + run, "restart-" + run, Map.of());
    }
}
