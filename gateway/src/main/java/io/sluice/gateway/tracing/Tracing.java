package io.sluice.gateway.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.sluice.gateway.protocol.Failures;
import io.sluice.spi.Setting;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;

/**
 * Tracing with OpenTelemetry, on when {@code sluice.tracing.otlp.endpoint} names an OTLP/HTTP collector
 * ({@code http://collector:4318}; spans go to its {@code /v1/traces}). Each routed request is a server span
 * ({@code sluice:outbound}, …) from the moment the gateway hands it to its route until the route answers; Camel's
 * spans of the route (camel-opentelemetry2) are its children, and the W3C trace context rides on in what the route
 * sends: a Kafka record's headers, so that the consuming gateway's {@code kafka-inbound} span joins the sender's
 * trace. Off, nothing of the SDK is created and requests cost one no-op call.
 *
 * <pre>{@code
 * Tracing tracing = Tracing.from(settings);   // Tracing.OFF without an endpoint
 * tracing.bind(camel);                       // before the routes are added
 * RequestTracer requests = tracing.requests();
 * }</pre>
 */
public final class Tracing implements AutoCloseable {
    public static final Setting<String> OTLP_ENDPOINT = Setting.string(
                    "sluice.tracing.otlp.endpoint",
                    null,
                    "an OTLP/HTTP collector such as http://collector:4318: a span per request is exported there;"
                            + " unset, no tracing at all")
            .defaultFrom("unset (off)");
    public static final Setting<String> SERVICE_NAME =
            Setting.string("sluice.tracing.service-name", "sluice-gateway", "the service.name of the spans");

    /** The settings of tracing. */
    public static final java.util.List<Setting<?>> SETTINGS = java.util.List.of(OTLP_ENDPOINT, SERVICE_NAME);

    /** No tracing. */
    public static final Tracing OFF = new Tracing(null, null);

    private static final AttributeKey<String> CONNECTION = AttributeKey.stringKey("sluice.connection.id");
    private static final AttributeKey<Long> SEQUENCE = AttributeKey.longKey("sluice.sequence");
    private static final AttributeKey<String> ERROR = AttributeKey.stringKey("sluice.error");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("sluice.deliver.outcome");

    private final OpenTelemetry openTelemetry;
    private final OpenTelemetrySdk owned;

    private Tracing(OpenTelemetry openTelemetry, OpenTelemetrySdk owned) {
        this.openTelemetry = openTelemetry;
        this.owned = owned;
    }

    /**
     * Tracing as the settings say: OTLP/HTTP export to {@code sluice.tracing.otlp.endpoint}, with the service name
     * {@code sluice.tracing.service-name} (default {@code sluice-gateway}); {@link #OFF} without an endpoint.
     *
     * @throws SettingException when the endpoint is not an http(s) URL
     */
    public static Tracing from(Settings settings) {
        String endpoint = OTLP_ENDPOINT.get(settings);
        if (endpoint == null || endpoint.isBlank()) {
            return OFF;
        }
        URI uri;
        try {
            uri = URI.create(endpoint.endsWith("/") ? endpoint : endpoint + "/");
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null
                || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new SettingException(
                    OTLP_ENDPOINT.key(), endpoint, "an OTLP/HTTP collector URL such as http://collector:4318");
        }
        String service = SERVICE_NAME.get(settings);
        SdkTracerProvider traces = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service))))
                .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                                .setEndpoint(uri.resolve("v1/traces").toString())
                                .build())
                        .build())
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(traces)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        return new Tracing(sdk, sdk);
    }

    /** Tracing through an OpenTelemetry the caller owns (an agent's, or a test's in-memory exporter). */
    public static Tracing of(OpenTelemetry openTelemetry) {
        return new Tracing(openTelemetry, null);
    }

    /** Whether spans are recorded. */
    public boolean enabled() {
        return openTelemetry != null;
    }

    /** Traces Camel's routes with camel-opentelemetry2; call before the routes are added. */
    public void bind(CamelContext camel) {
        if (!enabled()) {
            return;
        }
        // camel-opentelemetry2 looks its tracer and propagators up in the registry before it falls back on the
        // global OpenTelemetry, which Sluice never sets.
        camel.getRegistry()
                .bind("sluiceTracer", io.opentelemetry.api.trace.Tracer.class, openTelemetry.getTracer("camel"));
        camel.getRegistry().bind("sluicePropagators", ContextPropagators.class, openTelemetry.getPropagators());
        OpenTelemetryTracer tracer = new OpenTelemetryTracer();
        tracer.init(camel);
    }

    /** The spans of routed requests. */
    public RequestTracer requests() {
        if (!enabled()) {
            return RequestTracer.NONE;
        }
        Tracer tracer = openTelemetry.getTracer("io.sluice.gateway");
        return (operation, connectionId, sequence) -> {
            Span span = tracer.spanBuilder(operation)
                    .setSpanKind(SpanKind.SERVER)
                    .setAttribute(CONNECTION, connectionId)
                    .setAttribute(SEQUENCE, sequence)
                    .startSpan();
            Map<String, String> headers = new HashMap<>(2);
            openTelemetry
                    .getPropagators()
                    .getTextMapPropagator()
                    .inject(Context.root().with(span), headers, (carrier, key, value) -> carrier.put(key, value));
            return new RequestTracer.RequestSpan() {
                @Override
                public Map<String, String> headers() {
                    return headers;
                }

                @Override
                public void end(Throwable failure) {
                    if (failure != null) {
                        span.setStatus(StatusCode.ERROR);
                        span.setAttribute(
                                ERROR, Failures.toSluice(failure).errorName().wireName());
                    }
                    span.end();
                }
            };
        };
    }

    /** The spans of the messages of a batch given to {@code sluice:deliver}, each in its sender's trace. */
    public BatchItemTracer batchItems() {
        if (!enabled()) {
            return BatchItemTracer.NONE;
        }
        Tracer tracer = openTelemetry.getTracer("io.sluice.gateway");
        var propagator = openTelemetry.getPropagators().getTextMapPropagator();
        return headers -> {
            Context parent = propagator.extract(Context.root(), headers, HEADERS);
            if (!Span.fromContext(parent).getSpanContext().isValid()) {
                return BatchItemTracer.ItemSpan.NONE;
            }
            Span span = tracer.spanBuilder("sluice:deliver")
                    .setParent(parent)
                    .setSpanKind(SpanKind.CONSUMER)
                    .startSpan();
            return (outcome, failure) -> {
                if (failure != null) {
                    span.setStatus(StatusCode.ERROR);
                    span.setAttribute(
                            ERROR, Failures.toSluice(failure).errorName().wireName());
                } else {
                    span.setAttribute(OUTCOME, outcome);
                }
                span.end();
            };
        };
    }

    /** Reads a trace context from exchange headers, whose values may be text or bytes. */
    private static final TextMapGetter<Map<String, Object>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, Object> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, Object> carrier, String key) {
            Object value = carrier == null ? null : carrier.get(key);
            if (value instanceof byte[] bytes) {
                return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            }
            return value == null ? null : value.toString();
        }
    };

    /** Sends what is buffered and stops the SDK this created. */
    @Override
    public void close() {
        if (owned != null) {
            owned.shutdown().join(5, TimeUnit.SECONDS);
        }
    }
}
