package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.client.SluiceError;
import io.sluice.gateway.testing.GatewayProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the gateway jar while senders keep it busy: every request that reached it is answered (acked once
 * durable, or {@code unavailable} once draining), every connection is closed with a 1001 handshake, the process
 * exits 0, and after a restart the recipient receives every acked message and none of the refused ones.
 */
class GracefulShutdownIT {
    private static final int SENDERS = 4;
    private static final int IN_FLIGHT = 20;

    @TempDir
    Path dataDir;

    @TempDir
    Path routesDir;

    /** The default routes, with outbound slowed down so that requests are always in progress. */
    private Path slowRoutes() throws Exception {
        return Files.writeString(routesDir.resolve("slow-outbound.yaml"), """
                - route: {id: register, from: {uri: "sluice:register", steps: [{to: "embedded:register"}]}}
                - route: {id: unregister, from: {uri: "sluice:unregister", steps: [{to: "embedded:unregister"}]}}
                - route:
                    id: request-prekeys
                    from: {uri: "sluice:requestPreKeys", steps: [{to: "embedded:requestPreKeys"}]}
                - route: {id: prekey-count, from: {uri: "sluice:preKeyCount", steps: [{to: "embedded:preKeyCount"}]}}
                - route:
                    id: outbound
                    from:
                      uri: sluice:outbound
                      steps:
                        - delay: {constant: 150}
                        - to: sluice:deliver
                """);
    }

    /** What became of each message a sender sent. */
    private static final class Outcomes {
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final Set<String> refused = ConcurrentHashMap.newKeySet();
        final Set<String> cutBeforeSigterm = ConcurrentHashMap.newKeySet();
        final Set<String> cutAfterSigterm = ConcurrentHashMap.newKeySet();
    }

    @Test
    void sigtermUnderLoadAnswersEveryRequestExitsZeroAndLosesNothingAcked() throws Exception {
        Identity bob = Identity.generate();
        Map<String, String> settings = Map.of(
                "sluice.routes",
                slowRoutes().toString(),
                "sluice.shutdown.grace",
                "10s",
                "sluice.prekeys.check-interval",
                "1h",
                "sluice.log.connections",
                "debug");
        Outcomes outcomes = new Outcomes();
        AtomicBoolean sigtermSent = new AtomicBoolean();
        List<CompletableFuture<Void>> requests = new ArrayList<>();

        try (GatewayProcess gateway = GatewayProcess.start(dataDir, settings)) {
            List<Thread> senders = new ArrayList<>();
            List<SluiceClient> clients = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                SluiceClient client = SluiceClient.connect(gateway.uri()).get();
                String prefix = "s" + s + "-";
                clients.add(client);
                senders.add(Thread.ofVirtual().start(() -> send(client, bob, prefix, outcomes, sigtermSent, requests)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.acked.size() >= 100);

            sigtermSent.set(true);
            gateway.terminate();
            assertThat(gateway.awaitExit(Duration.ofSeconds(30)))
                    .as("exit status")
                    .isZero();
            for (Thread sender : senders) {
                sender.join(Duration.ofSeconds(30));
            }
            synchronized (requests) {
                CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new))
                        .handle((ok, failure) -> null)
                        .get(30, TimeUnit.SECONDS);
            }
            assertThat(gateway.output())
                    .anyMatch(l -> l.contains("event=shutdown.started"))
                    .anyMatch(l -> l.contains("event=stopped cut_connections=0"));
            // The server's record of each close handshake: its 1001, echoed by the client. (The client's own
            // report can be 1006 "Broken pipe" instead, when it wrote a request after the handshake.)
            assertThat(gateway.output())
                    .filteredOn(l -> l.contains("event=closed "))
                    .hasSize(SENDERS)
                    .allMatch(l -> l.contains("status=1001"));
            assertThat(clients).allSatisfy(c -> assertThat(c.closed()).isDone());
        }

        assertThat(outcomes.cutBeforeSigterm)
                .as("requests sent before SIGTERM left unanswered")
                .isEmpty();

        try (GatewayProcess restarted = GatewayProcess.start(dataDir, settings)) {
            SluiceClient phone = SluiceClient.connect(restarted.uri()).get();
            phone.login(bob, 1).get();
            Set<String> received = new HashSet<>();
            for (Inbound message; (message = phone.nextInbound(Duration.ofSeconds(3))) != null; ) {
                received.add(text(message.body()));
                message.ack();
            }
            assertThat(received).as("every acked message").containsAll(outcomes.acked);
            assertThat(received).as("no message answered unavailable").doesNotContainAnyElementsOf(outcomes.refused);
            Set<String> sent = new HashSet<>(outcomes.acked);
            sent.addAll(outcomes.cutAfterSigterm);
            assertThat(sent).as("nothing that was never sent").containsAll(received);
        }
    }

    /** Keeps {@link #IN_FLIGHT} requests going on one connection until it closes. */
    private static void send(
            SluiceClient client,
            Identity bob,
            String prefix,
            Outcomes outcomes,
            AtomicBoolean sigtermSent,
            List<CompletableFuture<Void>> requests) {
        Semaphore window = new Semaphore(IN_FLIGHT);
        for (int n = 0; client.isOpen(); n++) {
            try {
                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    n--;
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            String body = prefix + n;
            boolean beforeSigterm = !sigtermSent.get();
            CompletableFuture<Void> request;
            try {
                request = client.send(bob.userId(), 1, bytes(body));
            } catch (IllegalStateException closed) {
                return;
            }
            synchronized (requests) {
                requests.add(request);
            }
            request.whenComplete((ok, thrown) -> {
                window.release();
                Throwable failure = thrown instanceof CompletionException c ? c.getCause() : thrown;
                if (failure == null) {
                    outcomes.acked.add(body);
                } else if (failure instanceof SluiceError e && e.name().equals("unavailable")) {
                    outcomes.refused.add(body);
                } else {
                    (beforeSigterm ? outcomes.cutBeforeSigterm : outcomes.cutAfterSigterm).add(body);
                }
            });
        }
    }
}
