package io.sluice.gateway.metrics;

import io.micrometer.core.instrument.Meter;
import java.time.Duration;
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
    /** Timer on {@link #REQUEST_SLOS}: from a request's frame arriving to its answer, by {@link #TYPE}. */
    public static final String REQUESTS = "sluice.requests";
    /** Counter: answered requests, by {@link #TYPE} and {@link #RESULT}. */
    public static final String RESPONSES = "sluice.responses";
    /** Counter: requests, connections and messages refused by a limit, by {@link #LIMIT}. */
    public static final String LIMITS_REJECTED = "sluice.limits.rejected";
    /** Distribution summary (histogram): messages waiting for the recipient each time one is queued. */
    public static final String QUEUE_DEPTH = "sluice.queue.depth";
    /** Timer on {@link #DELIVERY_SLOS}: how long a message waited in its queue before it went to the recipient. */
    public static final String DELIVERY_LAG = "sluice.delivery.lag";

    /** Gauge: 1 while every readiness check ({@code /readyz}) is up, else 0. */
    public static final String READY = "sluice.ready";
    /** Gauge in seconds since the epoch: when the client port's TLS certificate expires (with TLS on). */
    public static final String TLS_CERTIFICATE_EXPIRY = "sluice.tls.certificate.expiry";
    /** Counter: exchanges each route completed, failed or not, by {@link #ROUTE}. Camel's name, our tag. */
    public static final String ROUTE_EXCHANGES = "camel.exchanges.total";
    /** Counter: exchanges each route completed with an exception, by {@link #ROUTE}. */
    public static final String ROUTE_FAILURES = "camel.exchanges.failed";
    /** Counter in seconds: the CPU time the process used (replaces Micrometer's, which counts nanoseconds). */
    public static final String PROCESS_CPU_TIME = "process.cpu.time";

    /** Tag of {@link #CONNECTIONS}: {@code anonymous} or {@code authenticated}. */
    public static final String STATE = "state";
    /** Tag: the envelope type, as in Messages.proto ({@code outboundMessage}), or {@code invalid}, {@code empty}. */
    public static final String TYPE = "type";
    /** Tag of {@link #RESPONSES}: {@code ok}, or the error name ({@code rate_limited}, {@code unavailable}, …). */
    public static final String RESULT = "result";
    /** Tag of {@link #LIMITS_REJECTED}: the limit, as in its setting ({@code requests}, {@code queue-bytes}, …). */
    public static final String LIMIT = "limit";

    /** Tag of {@link #ROUTE_EXCHANGES} and {@link #ROUTE_FAILURES}: the route's id. */
    public static final String ROUTE = "route_id";

    /** {@link #RESULT} of a request that succeeded. */
    public static final String OK = "ok";

    /**
     * The bucket bounds of {@link #REQUESTS}: a dozen service-level objectives rather than a percentile histogram's
     * 69 buckets per request type, enough for alerts ("99% under 250 ms") and {@code histogram_quantile}.
     */
    public static final List<Duration> REQUEST_SLOS = List.of(
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            Duration.ofMillis(25),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofMillis(2500),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    /** The bucket bounds of {@link #DELIVERY_LAG}: from "pushed at once" to "the device was off for a day". */
    public static final List<Duration> DELIVERY_SLOS = List.of(
            Duration.ofMillis(10),
            Duration.ofMillis(50),
            Duration.ofMillis(250),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(6),
            Duration.ofDays(1));

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
            new Documented(DELIVERY_LAG, Meter.Type.TIMER, "seconds"),
            new Documented(READY, Meter.Type.GAUGE, null));

    /** Sluice's meters that exist only with TLS on. */
    public static final List<Documented> TLS =
            List.of(new Documented(TLS_CERTIFICATE_EXPIRY, Meter.Type.GAUGE, "seconds"));

    /** The routes' meters ({@link RouteCounters}). */
    public static final List<Documented> ROUTES = List.of(
            new Documented(ROUTE_EXCHANGES, Meter.Type.COUNTER, null),
            new Documented(ROUTE_FAILURES, Meter.Type.COUNTER, null));

    /** A representative meter of each binder Sluice registers: JVM, process, Jetty. */
    public static final List<Documented> BOUND = List.of(
            new Documented(PROCESS_CPU_TIME, Meter.Type.COUNTER, "seconds"),
            new Documented("jvm.gc.pause", Meter.Type.TIMER, "seconds"),
            new Documented("jvm.memory.used", Meter.Type.GAUGE, "bytes"),
            new Documented("jvm.gc.max.data.size", Meter.Type.GAUGE, "bytes"),
            new Documented("jvm.threads.live", Meter.Type.GAUGE, "threads"),
            new Documented("process.cpu.usage", Meter.Type.GAUGE, null),
            new Documented("jetty.connections.current", Meter.Type.GAUGE, "connections"),
            new Documented("jetty.connections.bytes.in", Meter.Type.DISTRIBUTION_SUMMARY, "bytes"),
            new Documented("jetty.threads.busy", Meter.Type.GAUGE, null));
}
