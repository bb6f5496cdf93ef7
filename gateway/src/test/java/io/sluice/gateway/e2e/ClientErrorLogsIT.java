package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayProcess;
import io.sluice.gateway.testing.Scrape;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: what anonymous clients can make the gateway log. Client mistakes are counted, not logged at ERROR; no
 * user id reaches a line at INFO or above; a failed backend call is logged once.
 */
class ClientErrorLogsIT {
    @TempDir
    Path dataDir;

    private static String text(byte[] userId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(userId);
    }

    @Test
    void unknownUsersAndFullQueuesAreCountedNotLoggedAndNoUserIdIsLogged() throws Exception {
        Identity bob = Identity.generate();
        Identity nobody = Identity.generate();
        List<String> output;
        try (GatewayProcess gateway = GatewayProcess.start(
                dataDir,
                Map.of(
                        "sluice.limits.queue-messages", "1",
                        "sluice.log.connections", "info",
                        "sluice.prekeys.check-interval", "1h"))) {
            SluiceClient phone = SluiceClient.connect(gateway.uri()).get();
            phone.login(bob, 1).get();
            phone.close();
            SluiceClient alice = SluiceClient.connect(gateway.uri()).get();
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() ->
                                alice.requestPreKeys(nobody.userId(), Set.of()).get())
                        .hasMessageContaining("unknown_user");
            }
            alice.send(bob.userId(), 1, bytes("fits")).get();
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> alice.send(bob.userId(), 1, bytes("over the quota"))
                                .get())
                        .hasMessageContaining("rate_limited");
            }
            Scrape scrape = Scrape.of(gateway.adminUri().resolve("/metrics"));
            assertThat(scrape.value(
                            "sluice_responses_total", Map.of("type", "requestPreKeys", "result", "unknown_user")))
                    .isEqualTo(3);
            assertThat(scrape.value(
                            "sluice_responses_total", Map.of("type", "outboundMessage", "result", "rate_limited")))
                    .isEqualTo(2);
            alice.close();
            output = gateway.output();
        }

        assertThat(output).as("started").anyMatch(line -> line.contains("event=started"));
        assertThat(output).as("a login at info").anyMatch(line -> line.contains("event=login"));
        assertThat(output).noneMatch(line -> line.contains("level=ERROR"));
        assertThat(output).noneMatch(line -> line.contains(text(bob.userId())));
        assertThat(output).noneMatch(line -> line.contains(text(nobody.userId())));
    }

    @Test
    void aBrokerThatIsDownIsLoggedOncePerFailedRequest() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Identity bob = Identity.generate();
        List<String> output;
        try (GatewayProcess gateway = GatewayProcess.start(
                dataDir,
                Map.of(
                        "sluice.routes", "classpath:routes/kafka.yaml",
                        "sluice.kafka.brokers", "127.0.0.1:" + closedPort,
                        "sluice.kafka.producer-timeout", "1s",
                        "sluice.request-timeout", "5s",
                        "sluice.prekeys.check-interval", "1h"))) {
            SluiceClient alice = SluiceClient.connect(gateway.uri()).get();
            assertThatThrownBy(() -> alice.send(bob.userId(), 1, bytes("to a broker that is down"))
                            .get())
                    .hasMessageContaining("unavailable");
            alice.close();
            output = gateway.output();
        }

        // The producer's failure (a TimeoutException: the topic's metadata never came) appears once: on the
        // gateway's request.failed line, not again from Camel's error handler or the Kafka component.
        assertThat(output.stream().filter(line -> line.contains("TimeoutException")))
                .singleElement()
                .satisfies(
                        line -> assertThat(line).contains("level=WARN", "event=request.failed", "error=unavailable"));
        assertThat(output).noneMatch(line -> line.contains("level=ERROR"));
        assertThat(output).noneMatch(line -> line.contains(text(bob.userId())));
    }
}
