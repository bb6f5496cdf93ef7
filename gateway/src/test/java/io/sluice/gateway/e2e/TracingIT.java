package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.testing.GatewayExtension;
import io.sluice.gateway.testing.GatewayProcess;
import io.sluice.gateway.testing.InMemoryTracing;
import io.sluice.gateway.tracing.Tracing;
import io.sluice.spi.Settings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A span per request, with the route's spans under it; OTLP export when an endpoint is set, nothing when not. */
class TracingIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final InMemoryTracing TRACES = new InMemoryTracing();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(Map.of("sluice.prekeys.check-interval", "1h"))
            .tracedBy(TRACES.sdk());

    @TempDir
    Path dir;

    private static SpanData request(String operation, long sequence) {
        return TRACES.spans().stream()
                .filter(s -> s.getName().equals(operation)
                        && Long.valueOf(sequence)
                                .equals(s.getAttributes().get(AttributeKey.longKey("sluice.sequence"))))
                .reduce((a, b) -> b)
                .orElseThrow(
                        () -> new AssertionError("no span " + operation + " " + sequence + " in " + TRACES.spans()));
    }

    @Test
    void aSentMessageIsAServerSpanWithTheRoutesSpansUnderIt() throws Exception {
        Identity bob = Identity.generate();
        GATEWAY.login(bob, 1);
        SluiceClient alice = GATEWAY.connect();
        alice.send(bob.userId(), 1, bytes("traced")).get();

        await().atMost(WAIT).untilAsserted(() -> {
            SpanData request = request("sluice:outbound", 1);
            assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
            assertThat(request.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
            assertThat(request.getAttributes().get(AttributeKey.stringKey("sluice.connection.id")))
                    .isNotBlank();
            List<SpanData> children = TRACES.spans().stream()
                    .filter(s -> s.getParentSpanId().equals(request.getSpanId()))
                    .toList();
            assertThat(children)
                    .as("the outbound route's span, a child of the request's")
                    .isNotEmpty()
                    .allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(request.getTraceId()));
            assertThat(TRACES.spans().stream()
                            .filter(s -> s.getTraceId().equals(request.getTraceId()))
                            .filter(s -> !s.getSpanId().equals(request.getSpanId())))
                    .as("the route's consumer span and its call to sluice:deliver, in the request's trace")
                    .hasSizeGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void aFailedRequestsSpanCarriesItsErrorName() throws Exception {
        SluiceClient alice = GATEWAY.connect();
        assertThatThrownBy(() -> alice.requestPreKeys(Identity.generate().userId(), Set.of())
                        .get())
                .hasMessageContaining("unknown_user");
        await().atMost(WAIT).untilAsserted(() -> {
            SpanData request = request("sluice:requestPreKeys", 1);
            assertThat(request.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(request.getAttributes().get(AttributeKey.stringKey("sluice.error")))
                    .isEqualTo("unknown_user");
        });
    }

    @Test
    void withoutAnEndpointNothingOfTheSdkIsCreated() throws Exception {
        assertThat(Tracing.from(Settings.of(Map.of())).enabled()).isFalse();
        try (Gateway untraced = Gateway.start(Settings.of(Map.of(
                "sluice.host", "127.0.0.1",
                "sluice.port", "0",
                "sluice.admin.port", "0",
                "sluice.data-dir", dir.toString())))) {
            assertThat(untraced.camel().hasService(OpenTelemetryTracer.class)).isNull();
            assertThat(untraced.camel().getRoutePolicyFactories()).noneMatch(f -> f instanceof OpenTelemetryTracer);
        }
    }

    @Test
    void theJarExportsSpansOverOtlpHttpToTheConfiguredEndpoint() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(exchange.getRequestMethod() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(body, StandardCharsets.ISO_8859_1));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try (GatewayProcess gateway = GatewayProcess.start(
                dir,
                Map.of(
                        "sluice.tracing.otlp.endpoint",
                        "http://127.0.0.1:" + collector.getAddress().getPort(),
                        "sluice.tracing.service-name",
                        "sluice-under-test",
                        "sluice.prekeys.check-interval",
                        "1h"))) {
            Identity bob = Identity.generate();
            SluiceClient phone = SluiceClient.connect(gateway.uri()).get();
            phone.login(bob, 1).get();
            SluiceClient alice = SluiceClient.connect(gateway.uri()).get();
            alice.send(bob.userId(), 1, bytes("exported")).get();
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(received)
                            .anySatisfy(r -> assertThat(r)
                                    .startsWith("POST application/x-protobuf")
                                    .contains("sluice:outbound")
                                    .contains("sluice-under-test")));
            alice.close();
            phone.close();
        } finally {
            collector.stop(0);
        }
    }
}
