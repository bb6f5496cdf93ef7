package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.oneTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.metrics.Meters;
import io.sluice.gateway.testing.GatewayExtension;
import io.sluice.gateway.testing.Scrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin port: every documented meter after a short session, liveness, and readiness that follows the routes. */
class AdminEndpointsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(Map.of(
            "sluice.limits.requests", "20/1m",
            "sluice.prekeys.check-interval", "1h"));

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(GATEWAY.adminUri().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Login, register, prekeys (found and not), a message queued, delivered and acked, and a refused request. */
    private static void shortSession() throws Exception {
        Identity bob = Identity.generate();
        SluiceClient bobsPhone = GATEWAY.login(bob, 1);
        bobsPhone.register(1, bytes("signed"), oneTime("k", 3)).get();
        SluiceClient anon = GATEWAY.connect();
        assertThat(anon.requestPreKeys(bob.userId(), Set.of()).get()).hasSize(1);
        assertThatThrownBy(() -> anon.requestPreKeys(Identity.generate().userId(), Set.of())
                        .get())
                .hasMessageContaining("unknown_user");
        anon.send(bob.userId(), 1, bytes("hello")).get();
        Inbound hello = bobsPhone.nextInbound(WAIT);
        assertThat(hello).isNotNull();
        hello.ack();

        SluiceClient greedy = GATEWAY.connect();
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            sends.add(greedy.send(Identity.generate().userId(), 1, bytes("m" + i)));
        }
        sends.forEach(s -> s.handle((ok, failure) -> null).join());
    }

    @Test
    void metricsExposeEveryDocumentedMeterAfterAShortSession() throws Exception {
        shortSession();
        // jvm.gc.pause exists once a collection has happened; in a fresh test JVM one may not have yet.
        System.gc();
        await().atMost(WAIT)
                .until(() -> !Scrape.of(GATEWAY.adminUri().resolve("/metrics"))
                        .startingWith("jvm_gc_pause_seconds")
                        .isEmpty());
        Scrape scrape = Scrape.of(GATEWAY.adminUri().resolve("/metrics"));

        PrometheusNamingConvention prometheus = new PrometheusNamingConvention();
        List<Meters.Documented> all = new ArrayList<>(Meters.SLUICE);
        all.addAll(Meters.ROUTES);
        all.addAll(Meters.BOUND);
        for (Meters.Documented meter : all) {
            String name = prometheus.name(meter.name(), meter.type(), meter.baseUnit());
            assertThat(scrape.startingWith(name))
                    .as("%s as %s", meter.name(), name)
                    .isNotEmpty();
        }

        assertThat(scrape.value("sluice_connections", Map.of("state", "authenticated")))
                .isEqualTo(1);
        assertThat(scrape.value("sluice_connections", Map.of("state", "anonymous")))
                .isEqualTo(2);
        assertThat(scrape.value("sluice_frames_in_total", Map.of("type", "authResponse")))
                .isEqualTo(1);
        assertThat(scrape.value("sluice_frames_out_total", Map.of("type", "authChallenge")))
                .isEqualTo(3);
        assertThat(scrape.value("sluice_frames_out_total", Map.of("type", "inboundMessage")))
                .isEqualTo(1);
        assertThat(scrape.value("sluice_responses_total", Map.of("type", "requestPreKeys", "result", "unknown_user")))
                .isEqualTo(1);
        assertThat(scrape.value("sluice_responses_total", Map.of("type", "requestPreKeys", "result", "ok")))
                .isEqualTo(1);
        assertThat(scrape.value("sluice_responses_total", Map.of("type", "outboundMessage", "result", "rate_limited")))
                .isEqualTo(5);
        assertThat(scrape.value("sluice_limits_rejected_total", Map.of("limit", "requests")))
                .isEqualTo(5);
        assertThat(scrape.value("sluice_limits_rejected_total", Map.of("limit", "queue-bytes")))
                .isZero();
        assertThat(scrape.value("sluice_requests_seconds_count", Map.of("type", "register")))
                .isEqualTo(1);
        assertThat(scrape.value("sluice_requests_seconds_bucket", Map.of("type", "register", "le", "+Inf")))
                .as("a histogram")
                .isEqualTo(1);
        assertThat(scrape.value("sluice_requests_seconds_bucket", Map.of("type", "register", "le", "10.0")))
                .as("an SLO bucket")
                .isEqualTo(1);
        assertThat(scrape.value("sluice_delivery_lag_seconds_count", Map.of())).isEqualTo(1);
        assertThat(scrape.value("sluice_queue_depth_messages_count", Map.of())).isEqualTo(21);
        assertThat(scrape.value("camel_exchanges_total", Map.of("route_id", "outbound")))
                .isEqualTo(21);
        assertThat(scrape.value("camel_exchanges_failed_total", Map.of("route_id", "request-prekeys")))
                .isEqualTo(1);
    }

    @Test
    void metricsSpeakOpenMetricsWhenAsked() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(GATEWAY.adminUri().resolve("/metrics"))
                        .header("Accept", "application/openmetrics-text; version=1.0.0")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
        assertThat(response.body()).contains("# EOF");
    }

    @Test
    void healthzAnswersWhileTheProcessRuns() throws Exception {
        HttpResponse<String> health = get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
    }

    @Test
    void readyzIsReadyWithRoutesAndQueueUpAndNotReadyWhileARouteIsStopped() throws Exception {
        HttpResponse<String> ready = get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).startsWith("ready\n").contains("gateway: up", "routes: up", "queue: up");

        GATEWAY.gateway().camel().getRouteController().stopRoute("outbound");
        try {
            HttpResponse<String> stopped = get("/readyz");
            assertThat(stopped.statusCode()).isEqualTo(503);
            assertThat(stopped.body()).startsWith("not ready\n").contains("routes: down (not started: outbound");
        } finally {
            GATEWAY.gateway().camel().getRouteController().startRoute("outbound");
        }
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(get("/readyz").statusCode()).isEqualTo(200));
    }

    @Test
    void unknownPathsAreNotFoundAndTheClientPortServesNoAdminEndpoints() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        URI clientPort = URI.create("http://127.0.0.1:" + GATEWAY.gateway().port() + "/metrics");
        HttpResponse<String> onClientPort =
                HTTP.send(HttpRequest.newBuilder(clientPort).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(onClientPort.statusCode()).isEqualTo(404);
    }
}
