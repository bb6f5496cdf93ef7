package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.routefiles.RouteReloader;
import io.sluice.gateway.testing.GatewayExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Route;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hot reload of a bus bridge: the RabbitMQ example's file is edited while a client sends, and its routes (and
 * the routes their kamelets add) are swapped for new ones without losing, repeating or reordering a message.
 */
class BridgeReloadIT {
    private static final Path ROUTES = copyOfTheExample();

    @RegisterExtension
    @Order(0)
    static final RabbitMqBus RABBIT = RabbitMqBus.named("reload");

    @RegisterExtension
    @Order(1)
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(RABBIT.settings(
            "sluice.rabbitmq",
            Map.of(
                    "sluice.routes",
                    ROUTES.toString(),
                    "sluice.routes.reload",
                    "true",
                    "sluice.prekeys.check-interval",
                    "1h")));

    private static Path copyOfTheExample() {
        try {
            Path file = Files.createTempDirectory("sluice-bridge-reload-").resolve("routes.yaml");
            Files.copy(Examples.routes("rabbitmq"), file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> routeIds() {
        Set<String> ids = new TreeSet<>();
        GATEWAY.gateway().camel().getRoutes().stream().map(Route::getRouteId).forEach(ids::add);
        return ids;
    }

    @Test
    void swapsTheBridgeAndItsKameletsWhileAClientSends() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient device = GATEWAY.login(bob, 1);
        SluiceClient sender = GATEWAY.connect();
        RouteReloader reloader = GATEWAY.gateway().routeReloader().orElseThrow();
        Set<String> before = routeIds();
        List<String> sent = new ArrayList<>();

        for (int i = 0; i < 300; i++) {
            String body = "reload-" + i;
            if (i == 100) {
                // A change of the file (any change) swaps all its routes; this one also changes a kamelet option.
                Files.writeString(
                        ROUTES,
                        Files.readString(ROUTES)
                                .replace(
                                        "queue: \"{{sluice.rabbitmq.queue:sluice.deliver}}\"\n      steps:",
                                        "queue: \"{{sluice.rabbitmq.queue:sluice.deliver}}\"\n        prefetch: 10\n      steps:"));
                Thread.ofPlatform()
                        .start(() -> assertThat(reloader.reloadNow())
                                .isIn(RouteReloader.Outcome.RELOADED, RouteReloader.Outcome.UNCHANGED));
            }
            sender.send(bob.userId(), 1, body.getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            sent.add(body);
        }

        assertThat(RoundTrip.receive(device, sent.size())).containsExactlyElementsOf(sent);
        assertThat(reloader.reloads()).isEqualTo(1);
        Set<String> after = routeIds();
        assertThat(after)
                .as("as many routes as before: the old kamelet routes are gone")
                .hasSameSizeAs(before);
        assertThat(after)
                .as("the kamelets run as new routes")
                .isNotEqualTo(before)
                .contains("register", "outbound", "rabbitmq-deliver");
        assertThat(device.nextInbound(java.time.Duration.ofMillis(500)))
                .as("nothing twice")
                .isNull();
    }
}
