package io.sluice.gateway.metrics;

import io.micrometer.core.instrument.Meter;
import java.util.List;

/**
 * Every meter and tag name Sluice publishes, defined once; the README's metrics table lists the same, and a test
 * holds the two together. Names follow Micrometer's conventions (lower case, dot-separated; Prometheus shows
 * {@code sluice.frames.in} as {@code sluice_frames_in_total}).
 */
public final class Meters {
    private Meters() {}

    /** Gauge: open client connections, by {@link #STATE}. */
    public static final String CONNECTIONS = "sluice.connections";
    /** Counter: frames received, by {@link #TYPE}. */
    public static final String FRAMES_IN = "sluice.frames.in";
    /** Counter: frames sent, by {@link #TYPE}. */
    public static final String FRAMES_OUT = "sluice.frames.out";
    /** Timer with a percentile histogram: from a request's frame arriving to its answer, by {@link #TYPE}. */
    public static final String REQUESTS = "sluice.requests";
    /** Counter: answered requests, by {@link #TYPE} and {@link #RESULT}. */
    public static final String RESPONSES = "sluice.responses";
    /** Counter: requests, connections and messages refused by a limit, by {@link #LIMIT}. */
    public static final String LIMITS_REJECTED = "sluice.limits.rejected";
    /** Distribution summary (histogram): messages waiting for the recipient each time one is queued. */
    public static final String QUEUE_DEPTH = "sluice.queue.depth";
    /** Timer with a percentile histogram: how long a message waited in its queue before it went to the recipient. */
    public static final String DELIVERY_LAG = "sluice.delivery.lag";

    /** Tag of {@link #CONNECTIONS}: {@code anonymous} or {@code authenticated}. */
    public static final String STATE = "state";
    /** Tag: the envelope type, as in Messages.proto ({@code outboundMessage}), or {@code invalid}, {@code empty}. */
    public static final String TYPE = "type";
    /** Tag of {@link #RESPONSES}: {@code ok}, or the error name ({@code rate_limited}, {@code unavailable}, …). */
    public static final String RESULT = "result";
    /** Tag of {@link #LIMITS_REJECTED}: the limit, as in its setting ({@code requests}, {@code queue-bytes}, …). */
    public static final String LIMIT = "limit";

    /** {@link #RESULT} of a request that succeeded. */
    public static final String OK = "ok";

    /** One published meter. */
    public record Documented(String name, Meter.Type type, String baseUnit) {}

    /** Sluice's own meters. */
    public static final List<Documented> SLUICE = List.of(
            new Documented(CONNECTIONS, Meter.Type.GAUGE, null),
            new Documented(FRAMES_IN, Meter.Type.COUNTER, null),
            new Documented(FRAMES_OUT, Meter.Type.COUNTER, null),
            new Documented(REQUESTS, Meter.Type.TIMER, "seconds"),
            new Documented(RESPONSES, Meter.Type.COUNTER, null),
            new Documented(LIMITS_REJECTED, Meter.Type.COUNTER, null),
            new Documented(QUEUE_DEPTH, Meter.Type.DISTRIBUTION_SUMMARY, "messages"),
            new Documented(DELIVERY_LAG, Meter.Type.TIMER, "seconds"));

    /** A representative meter of each binder Sluice registers: routes (camel-micrometer), JVM, process, Jetty. */
    public static final List<Documented> BOUND = List.of(
            new Documented("camel.exchanges.total", Meter.Type.COUNTER, null),
            new Documented("camel.exchanges.failed", Meter.Type.COUNTER, null),
            new Documented("camel.route.policy", Meter.Type.TIMER, "seconds"),
            new Documented("jvm.memory.used", Meter.Type.GAUGE, "bytes"),
            new Documented("jvm.gc.max.data.size", Meter.Type.GAUGE, "bytes"),
            new Documented("jvm.threads.live", Meter.Type.GAUGE, "threads"),
            new Documented("process.cpu.usage", Meter.Type.GAUGE, null),
            new Documented("jetty.connections.current", Meter.Type.GAUGE, "connections"),
            new Documented("jetty.connections.bytes.in", Meter.Type.DISTRIBUTION_SUMMARY, "bytes"),
            new Documented("jetty.threads.busy", Meter.Type.GAUGE, null));
}
