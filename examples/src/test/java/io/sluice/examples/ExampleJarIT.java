package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples' one command: the shipped gateway jar with nothing but {@code -Dsluice.routes=examples/...}
 * (and names of the test's own) bridges real clients through each broker. Proves the jar carries what the
 * route files need: components, kamelets, and what those load at run time.
 */
class ExampleJarIT {
    @RegisterExtension
    @Order(0)
    static final RabbitMqBus RABBIT = RabbitMqBus.named("jar");

    @RegisterExtension
    @Order(0)
    static final NatsBus NATS = NatsBus.named("jar");

    @RegisterExtension
    @Order(0)
    static final MqttBus MQTT = MqttBus.named("jar");

    @TempDir
    Path dataDir;

    private void roundTrip(Map<String, String> settings) throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(dataDir, settings)) {
            Identity bob = Identity.generate();
            SluiceClient device = SluiceClient.connect(gateway.uri()).get();
            device.login(bob, 1).get();
            SluiceClient sender = SluiceClient.connect(gateway.uri()).get();
            // The first send may find the broker side still being set up (the NATS stream): retry until acked.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                sender.send(bob.userId(), 1, "first".getBytes(StandardCharsets.UTF_8))
                        .get(10, TimeUnit.SECONDS);
                return true;
            });
            sender.send(bob.userId(), 1, "second".getBytes(StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS);

            Inbound first = device.nextInbound(Duration.ofSeconds(30));
            assertThat(first).isNotNull();
            assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("first");
            first.ack();
            Inbound second = device.nextInbound(Duration.ofSeconds(30));
            assertThat(second).isNotNull();
            assertThat(new String(second.body(), StandardCharsets.UTF_8)).isEqualTo("second");
            second.ack();
            device.close();
            sender.close();
        }
    }

    @Test
    void rabbitMqExampleRunsOnTheJar() throws Exception {
        roundTrip(RABBIT.settings(
                "sluice.rabbitmq",
                Map.of("sluice.routes", Examples.routes("rabbitmq").toString())));
    }

    @Test
    void natsExampleRunsOnTheJar() throws Exception {
        roundTrip(NATS.settings(
                "sluice.nats", Map.of("sluice.routes", Examples.routes("nats").toString())));
    }

    @Test
    void mqttExampleRunsOnTheJar() throws Exception {
        roundTrip(MQTT.settings(
                "sluice.mqtt", Map.of("sluice.routes", Examples.routes("mqtt").toString())));
    }
}
