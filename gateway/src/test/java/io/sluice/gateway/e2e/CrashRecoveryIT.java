package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.oneTime;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayProcess;
import io.sluice.proto.Messages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway jar killed with SIGKILL right after acking: nothing acked is lost, nothing acked comes back. */
class CrashRecoveryIT {
    private static final Map<String, String> SETTINGS = Map.of("sluice.prekeys.check-interval", "1h");

    @TempDir
    Path dataDir;

    @Test
    void everyAckedMessageAndRegistrationSurvivesKill9() throws Exception {
        Identity bob = Identity.generate();
        List<String> sent = new ArrayList<>();
        try (GatewayProcess gateway = GatewayProcess.start(dataDir, SETTINGS)) {
            SluiceClient device = SluiceClient.connect(gateway.uri()).get();
            device.login(bob, 1).get();
            device.register(5, bytes("signed"), oneTime("k", 3)).get();
            device.close();

            // Pipelined, as a busy sender would: 500 in flight, each acked only once durable.
            SluiceClient sender = SluiceClient.connect(gateway.uri()).get();
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String body = "m" + i;
                sent.add(body);
                acks.add(sender.send(bob.userId(), 1, bytes(body)));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            gateway.kill9();
            assertThat(gateway.process().exitValue()).as("killed, not stopped").isEqualTo(137);
        }

        try (GatewayProcess restarted = GatewayProcess.start(dataDir, SETTINGS)) {
            SluiceClient device = SluiceClient.connect(restarted.uri()).get();
            device.login(bob, 1).get();
            List<String> received = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                Inbound message = device.nextInbound(Duration.ofSeconds(10));
                assertThat(message).as("message %d of %d", i, sent.size()).isNotNull();
                received.add(new String(message.body(), StandardCharsets.UTF_8));
                message.ack();
            }
            assertThat(received).containsExactlyElementsOf(sent);

            SluiceClient anon = SluiceClient.connect(restarted.uri()).get();
            Messages.PreKey key =
                    anon.requestPreKeys(bob.userId(), Set.of()).get().get(0);
            assertThat(key.getRegistrationID()).isEqualTo(5);
            assertThat(key.getOneTimePreKey().toStringUtf8()).isEqualTo("k-0");
        }
    }

    @Test
    void ackedDeliveriesAreNotSentAgainAfterKill9() throws Exception {
        Identity bob = Identity.generate();
        try (GatewayProcess gateway = GatewayProcess.start(dataDir, SETTINGS)) {
            SluiceClient sender = SluiceClient.connect(gateway.uri()).get();
            for (int i = 0; i < 20; i++) {
                sender.send(bob.userId(), 1, bytes("m" + i)).get();
            }
            SluiceClient device = SluiceClient.connect(gateway.uri()).get();
            device.login(bob, 1).get();
            for (int i = 0; i < 10; i++) {
                device.nextInbound(Duration.ofSeconds(10)).ack();
            }
            // Requests on one connection are read in order: once this is answered, the acks were handled.
            device.register(1, bytes("s"), List.of()).get();
            gateway.kill9();
        }

        try (GatewayProcess restarted = GatewayProcess.start(dataDir, SETTINGS)) {
            SluiceClient device = SluiceClient.connect(restarted.uri()).get();
            device.login(bob, 1).get();
            List<String> received = new ArrayList<>();
            for (Inbound m; (m = device.nextInbound(Duration.ofSeconds(2))) != null; ) {
                received.add(new String(m.body(), StandardCharsets.UTF_8));
            }
            assertThat(received).containsExactly("m10", "m11", "m12", "m13", "m14", "m15", "m16", "m17", "m18", "m19");
        }
    }
}
