package io.sluice.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.client.Backoff;
import io.sluice.client.ClientOptions;
import io.sluice.client.ConnectionState;
import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayProcess;
import io.sluice.gateway.testing.Scrape;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client against the real gateway jar, killed with SIGKILL and restarted on the same data directory and
 * port, with an endpoint that is down first in the client's list: the client reconnects, logs in again, the
 * caller's sends complete, and every queued message arrives and is acked once on the connection that delivered it.
 */
class ReconnectIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int BEFORE_KILL = 100;
    private static final int IN_FLIGHT_AT_KILL = 50;
    private static final int WHILE_DOWN = 50;

    @TempDir
    Path dataDir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private GatewayProcess gateway(Map<String, String> settings) throws Exception {
        GatewayProcess gateway = GatewayProcess.start(dataDir, settings);
        open.add(gateway);
        return gateway;
    }

    private SluiceClient client(ClientOptions options) throws Exception {
        SluiceClient client = SluiceClient.connect(options).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        open.add(client);
        return client;
    }

    private static String text(Inbound message) {
        return new String(message.body(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void survivesKill9OfItsGatewayAndGetsEveryQueuedMessageAckingEachOnceOnItsOwnConnection() throws Exception {
        Map<String, String> settings =
                Map.of("sluice.port", Integer.toString(freePort()), "sluice.prekeys.check-interval", "1h");
        GatewayProcess first = gateway(settings);
        URI down = URI.create("ws://127.0.0.1:" + freePort() + "/api");
        ClientOptions options = ClientOptions.builder()
                .endpoints(down, first.uri())
                .reconnect(Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(1)))
                .requestTimeout(WAIT)
                .build();
        Identity bob = Identity.generate();
        SluiceClient phone = client(options);
        phone.login(bob, 1).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        LinkedBlockingQueue<Inbound> delivered = new LinkedBlockingQueue<>();
        phone.onInbound(delivered::add);
        SluiceClient sender = client(options);

        // Before the kill: every message queued, Bob acks the first half of them and holds the rest unacked.
        List<String> all = new ArrayList<>();
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < BEFORE_KILL; i++) {
            all.add("before-" + i);
            sends.add(sender.send(bob.userId(), 1, bytes("before-" + i)));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        List<Inbound> held = new ArrayList<>();
        Set<String> ackedBeforeKill = new HashSet<>();
        for (int i = 0; i < BEFORE_KILL; i++) {
            Inbound message = delivered.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(message).as("delivery %d before the kill", i).isNotNull();
            if (i < BEFORE_KILL / 2) {
                assertThat(message.ack()).isTrue();
                ackedBeforeKill.add(text(message));
            } else {
                held.add(message);
            }
        }

        // The kill, with sends in flight, then more sends while no gateway answers: the caller sees no error.
        sends.clear();
        for (int i = 0; i < IN_FLIGHT_AT_KILL; i++) {
            all.add("in-flight-" + i);
            sends.add(sender.send(bob.userId(), 1, bytes("in-flight-" + i)));
        }
        first.kill9();
        await().atMost(WAIT).until(() -> phone.state() == ConnectionState.RECONNECTING);
        for (int i = 0; i < WHILE_DOWN; i++) {
            all.add("while-down-" + i);
            sends.add(sender.send(bob.userId(), 1, bytes("while-down-" + i)));
        }
        delivered.clear(); // whatever the dead connection delivered after the holds comes again

        GatewayProcess second = gateway(settings);
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> phone.state() == ConnectionState.OPEN);
        // Acked now, with a new connection open: their sequences belong to the dead one, so nothing is sent.
        assertThat(held)
                .as("acks of messages delivered on the dead connection are not sent")
                .noneMatch(Inbound::ack);
        assertThat(phone.endpoint()).as("the down endpoint was skipped").isEqualTo(first.uri());

        Set<String> expected = new HashSet<>(all);
        expected.removeAll(ackedBeforeKill);
        Map<String, Integer> afterRestart = new HashMap<>();
        while (!afterRestart.keySet().containsAll(expected)) {
            Inbound message = delivered.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(message)
                    .as("%d of %d messages after the restart", afterRestart.size(), expected.size())
                    .isNotNull();
            assertThat(message.ack()).isTrue();
            afterRestart.merge(text(message), 1, Integer::sum);
        }
        for (Inbound extra; (extra = delivered.poll(2, TimeUnit.SECONDS)) != null; ) {
            assertThat(extra.ack()).isTrue();
            afterRestart.merge(text(extra), 1, Integer::sum);
        }
        Set<String> everything = new HashSet<>(afterRestart.keySet());
        everything.addAll(ackedBeforeKill);
        assertThat(everything).as("every message sent, nothing else").containsExactlyInAnyOrderElementsOf(all);
        // Twice on one connection only for a send that was in flight at the kill: stored, its ack lost with the
        // connection, and sent again. Anything else twice would be an ack that went astray.
        afterRestart.forEach((body, times) -> assertThat(times == 1 || body.startsWith("in-flight-"))
                .as("%s delivered %d times", body, times)
                .isTrue());
        int deliveries =
                afterRestart.values().stream().mapToInt(Integer::intValue).sum();
        int acks = deliveries;
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(Scrape.of(second.adminUri().resolve("/metrics"))
                                .value("sluice_frames_in_total", Map.of("type", "ack")))
                        .as("one ack per delivery on the new connection: no stale, no duplicate")
                        .isEqualTo(acks));

        // Everything acked survives another kill: the third connection gets nothing old, and a new message.
        second.kill9();
        GatewayProcess third = gateway(settings);
        await().atMost(WAIT).until(() -> phone.state() == ConnectionState.OPEN && phone.isOpen());
        sender.send(bob.userId(), 1, bytes("after")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Inbound after = delivered.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(after).isNotNull();
        assertThat(text(after)).as("nothing acked came back").isEqualTo("after");
        assertThat(after.ack()).isTrue();
        assertThat(third.output()).anyMatch(line -> line.contains("event=started"));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
