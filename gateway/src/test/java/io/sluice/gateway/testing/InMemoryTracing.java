package io.sluice.gateway.testing;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;

/**
 * An OpenTelemetry SDK whose spans stay in memory, with W3C propagation, for tests of tracing.
 *
 * <pre>{@code
 * static final InMemoryTracing TRACES = new InMemoryTracing();
 * @RegisterExtension static final GatewayExtension GATEWAY = GatewayExtension.embedded().tracedBy(TRACES.sdk());
 * }</pre>
 */
public final class InMemoryTracing {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    /** The SDK to trace with. */
    public OpenTelemetrySdk sdk() {
        return sdk;
    }

    /** Every span ended so far. */
    public List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }
}
