package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.text;
import static io.sluice.gateway.testing.TestRoutes.PREKEY_ROUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.routefiles.RouteReloader;
import io.sluice.gateway.testing.GatewayExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hot reload: an edited route file is checked and swapped in under live traffic, with client connections kept
 * and no acked message lost or delivered twice; an invalid edit is rejected and the running routes stay.
 */
class RouteReloadIT {
    private static final String DELIVER = PREKEY_ROUTES + """
            - route:
                id: outbound
                from:
                  uri: sluice:outbound
                  steps:
                    - to: sluice:deliver
            """;
    /** The edit: every message also goes to the recipient's device 2, so the test sees which route ran. */
    private static final String DELIVER_AND_COPY = PREKEY_ROUTES + """
            - route:
                id: outbound
                from:
                  uri: sluice:outbound
                  steps:
                    - to: sluice:deliver
                    - removeHeader:
                        name: SluiceAddress
                    - setHeader:
                        name: SluiceDeviceId
                        constant: 2
                    - to: sluice:deliver
            """;

    private static final Path ROUTES = routesFile();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(Map.of(
            "sluice.routes", ROUTES.toString(),
            "sluice.routes.reload", "true",
            "sluice.prekeys.check-interval", "1h"));

    private static Path routesFile() {
        try {
            Path dir = Files.createTempDirectory("sluice-reload-");
            Path file = dir.resolve("routes.yaml");
            Files.writeString(file, DELIVER);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RouteReloader reloader() {
        return GATEWAY.gateway().routeReloader().orElseThrow();
    }

    /** Each test starts from the plain routes running (a rejected edit left them running already). */
    @AfterEach
    void restoreRoutes() throws IOException {
        Files.writeString(ROUTES, DELIVER);
        assertThat(reloader().reloadNow()).isIn(RouteReloader.Outcome.RELOADED, RouteReloader.Outcome.UNCHANGED);
    }

    @Test
    void swapsTheOutboundRouteUnderLiveTrafficWithoutLosingOrDuplicatingAnAckedMessage() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient device1 = GATEWAY.login(bob, 1);
        SluiceClient device2 = GATEWAY.login(bob, 2);
        ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        List<SluiceClient> senders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            SluiceClient sender = GATEWAY.connect();
            senders.add(sender);
            String prefix = "s" + s + "-";
            threads.add(Thread.ofPlatform().name("sender-" + s).start(() -> {
                for (int i = 0; sending.get(); i++) {
                    String body = prefix + i;
                    try {
                        sender.send(bob.userId(), 1, bytes(body)).get(10, TimeUnit.SECONDS);
                        acked.add(body);
                    } catch (Exception e) {
                        failures.add(e);
                        return;
                    }
                }
            }));
        }
        int reloads = reloader().reloads();
        await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= 200);

        Files.writeString(ROUTES, DELIVER_AND_COPY);
        await().atMost(Duration.ofSeconds(30)).until(() -> reloader().reloads() > reloads);
        int ackedAtSwap = acked.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= ackedAtSwap + 200);
        sending.set(false);
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(30));
        }

        assertThat(failures).as("no request failed during the swap").isEmpty();
        assertThat(senders).as("no connection was dropped").allMatch(SluiceClient::isOpen);
        List<String> received = new ArrayList<>();
        for (int i = 0; i < acked.size(); i++) {
            Inbound message = device1.nextInbound(Duration.ofSeconds(10));
            assertThat(message).as("message %d of %d acked", i, acked.size()).isNotNull();
            received.add(text(message.body()));
            message.ack();
        }
        assertThat(received).as("every acked message, once").containsExactlyInAnyOrderElementsOf(acked);
        assertThat(device1.nextInbound(Duration.ofMillis(500)))
                .as("nothing more")
                .isNull();

        Set<String> copies = new HashSet<>();
        for (Inbound copy; (copy = device2.nextInbound(Duration.ofMillis(500))) != null; ) {
            assertThat(copies.add(text(copy.body())))
                    .as("copied once: %s", text(copy.body()))
                    .isTrue();
            copy.ack();
        }
        assertThat(copies)
                .as("the new route ran after the swap")
                .hasSizeGreaterThanOrEqualTo(200)
                .isSubsetOf(acked);
    }

    @Test
    void rejectsAnInvalidEditAndKeepsTheRunningRoutes() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient device = GATEWAY.login(bob, 1);
        SluiceClient sender = GATEWAY.connect();
        int rejections = reloader().rejections();
        int reloads = reloader().reloads();

        Files.writeString(ROUTES, PREKEY_ROUTES);
        await().atMost(Duration.ofSeconds(30)).until(() -> reloader().rejections() > rejections);

        assertThat(reloader().lastProblem())
                .hasValue(ROUTES + ": no route consumes sluice:outbound (clients send sealed messages there)");
        assertThat(reloader().reloads()).isEqualTo(reloads);
        assertThat(GATEWAY.gateway().camel().getRoute("outbound"))
                .as("the running route stays")
                .isNotNull();
        sender.send(bob.userId(), 1, bytes("still delivered")).get(10, TimeUnit.SECONDS);
        assertThat(text(device.nextInbound(Duration.ofSeconds(10)).body())).isEqualTo("still delivered");
    }

    @Test
    void rejectsAnEditThatDoesNotParse() throws Exception {
        int rejections = reloader().rejections();

        Files.writeString(ROUTES, DELIVER + "- route: [unclosed\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> reloader().rejections() > rejections);

        assertThat(reloader().lastProblem())
                .hasValueSatisfying(p -> assertThat(p).startsWith(ROUTES + ": cannot be read: "));
        assertThat(GATEWAY.gateway().camel().getRoute("outbound")).isNotNull();
    }
}
