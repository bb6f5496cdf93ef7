package io.sluice.gateway.deploy;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.oneTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/prometheus}'s rules with Prometheus's own tools: promtool checks and unit-tests them, and a real
 * Prometheus (on a free port, its own data directory) scrapes a real gateway until an alert fires when it should.
 * Prometheus comes from Debian's package, installed by {@code scripts/services.sh prometheus} when missing.
 */
class DeployIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** register answers unavailable (the route throws ConnectException), the rest works or fails as a client's. */
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(Map.of(
            "sluice.routes", "classpath:failing-routes.yaml",
            "sluice.prekeys.check-interval", "1h"));

    @TempDir
    Path dir;

    private Process prometheus;

    @BeforeAll
    static void prometheusIsInstalled() throws Exception {
        if (which("promtool") == null || which("prometheus") == null) {
            Path script = DeployFiles.deploy().getParent().resolve("scripts/services.sh");
            Process install = new ProcessBuilder("bash", script.toString(), "prometheus")
                    .inheritIO()
                    .start();
            assertThat(install.waitFor(10, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(which("promtool")).as("promtool (Debian package prometheus)").isNotNull();
        assertThat(which("prometheus"))
                .as("prometheus (Debian package prometheus)")
                .isNotNull();
    }

    private static Path which(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @AfterEach
    void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String run(Path workingDir, String... command) throws Exception {
        Process process = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void promtoolChecksTheRules() throws Exception {
        assertThat(run(DeployFiles.rules().getParent(), "promtool", "check", "rules", "sluice-rules.yml"))
                .contains("SUCCESS");
    }

    @Test
    void promtoolUnitTestsShowEachAlertFiringOnTheSeriesThatShouldFireIt() throws Exception {
        assertThat(run(DeployFiles.rules().getParent(), "promtool", "test", "rules", "sluice-rules.test.yml"))
                .contains("SUCCESS");
    }

    @Test
    void aRealPrometheusScrapingAGatewayFiresSluiceUnavailableErrorsOnceRequestsFail() throws Exception {
        // The shipped rules, with their "for" waits cut so that the test takes seconds rather than minutes.
        String rules = Files.readString(DeployFiles.rules()).replaceAll("(?m)^(\\s+)for: .*$", "$1for: 0s");
        Files.writeString(dir.resolve("sluice-rules.yml"), rules);
        Files.writeString(
                dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - sluice-rules.yml
                scrape_configs:
                  - job_name: sluice
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(GATEWAY.gateway().adminPort()));
        int port = freePort();
        prometheus = new ProcessBuilder(
                        "prometheus",
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        URI api = URI.create("http://127.0.0.1:" + port + "/api/v1/");

        // Healthy: the gateway is scraped and ready, a login succeeds, and nothing fires.
        SluiceClient phone = GATEWAY.login(Identity.generate(), 1);
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(query(api, "sluice_ready")).isEqualTo(1.0));
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(query(api, "sum(sluice_responses_total{result=\"ok\"})"))
                        .isPositive());
        assertThat(firing(api)).isEmpty();

        // A backend that is down: every register answers unavailable.
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            phone.register(i + 1, bytes("signed"), oneTime("k", 1))
                    .handle((ok, e) -> failures.add(e))
                    .join();
        }
        assertThat(failures).allSatisfy(e -> assertThat(e).hasMessageContaining("unavailable"));
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(firing(api)).contains("SluiceUnavailableErrors"));
        assertThat(firing(api)).doesNotContain("SluiceNotReady", "SluiceDown");
    }

    private static double query(URI api, String promql) throws IOException, InterruptedException {
        JsonNode result = get(api.resolve("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .path("data")
                .path("result");
        return result.isEmpty()
                ? Double.NaN
                : result.get(0).path("value").get(1).asDouble();
    }

    private static List<String> firing(URI api) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        for (JsonNode alert : get(api.resolve("alerts")).path("data").path("alerts")) {
            if (alert.path("state").asText().equals("firing")) {
                names.add(alert.path("labels").path("alertname").asText());
            }
        }
        return names;
    }

    private static JsonNode get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
