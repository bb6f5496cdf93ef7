package io.sluice.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.sluice.gateway.admin.Readiness;
import io.sluice.gateway.limits.Limit;
import io.sluice.gateway.limits.Limits;
import io.sluice.gateway.protocol.ConnectionObserver;
import io.sluice.gateway.protocol.FrameType;
import io.sluice.spi.ErrorName;
import io.sluice.spi.QueueUsage;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sluice's meters on an injected registry: it observes connections, counts limit refusals, records queue depth,
 * and binds the JVM, Jetty and Camel route meters. See {@link Meters} for the names.
 *
 * <p>Latencies are published as histograms on a few service-level-objective buckets ({@link Meters#REQUEST_SLOS}),
 * not as client-side percentiles: Prometheus cannot carry both on one meter, and only buckets add up across
 * gateways ({@code histogram_quantile(0.99, sum by (le, type) (rate(sluice_requests_seconds_bucket[5m])))}). A
 * percentile histogram would cost 69 series per request type.
 *
 * <pre>{@code
 * GatewayMetrics metrics = new GatewayMetrics(registry);
 * metrics.bindJvm();
 * metrics.bindRoutes(camel);        // before the routes are added
 * }</pre>
 */
public final class GatewayMetrics implements ConnectionObserver, Limits.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayMetrics.class);
    /** Bucket bounds of the queue depth histogram. */
    private static final double[] DEPTHS = {1, 10, 100, 1_000, 10_000, 100_000};

    /** The requests clients make, whose outcomes alerts watch. */
    private static final List<FrameType> REQUESTS = List.of(
            FrameType.AUTH_RESPONSE,
            FrameType.REGISTER,
            FrameType.UNREGISTER,
            FrameType.REQUEST_PRE_KEYS,
            FrameType.OUTBOUND_MESSAGE);

    private static final Duration[] REQUEST_SLOS = Meters.REQUEST_SLOS.toArray(Duration[]::new);

    private final MeterRegistry registry;
    private final AtomicLong anonymous = new AtomicLong();
    private final AtomicLong authenticated = new AtomicLong();
    private final Map<FrameType, Counter> framesIn = new EnumMap<>(FrameType.class);
    private final Map<FrameType, Counter> framesOut = new EnumMap<>(FrameType.class);
    // Created on first use: most envelope types are never requests, and each timer is a histogram.
    private final Map<FrameType, Timer> requests = new ConcurrentHashMap<>();
    private final Map<FrameType, Map<String, Counter>> responses = new ConcurrentHashMap<>();
    private final Map<Limit, Counter> rejected = new EnumMap<>(Limit.class);
    private final DistributionSummary queueDepth;
    private final Timer deliveryLag;
    private final List<AutoCloseable> bound = new ArrayList<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Micrometer counts the process's CPU time in nanoseconds (process_cpu_time_ns_total); bindJvm() publishes
        // it in seconds instead, like every other time.
        registry.config()
                .meterFilter(MeterFilter.deny(
                        id -> id.getName().equals(Meters.PROCESS_CPU_TIME) && !"seconds".equals(id.getBaseUnit())));
        Gauge.builder(Meters.CONNECTIONS, anonymous, AtomicLong::get)
                .tag(Meters.STATE, "anonymous")
                .description("Open client connections")
                .register(registry);
        Gauge.builder(Meters.CONNECTIONS, authenticated, AtomicLong::get)
                .tag(Meters.STATE, "authenticated")
                .description("Open client connections")
                .register(registry);
        for (FrameType type : FrameType.values()) {
            framesIn.put(
                    type,
                    Counter.builder(Meters.FRAMES_IN)
                            .tag(Meters.TYPE, type.tag())
                            .description("Frames received")
                            .register(registry));
            framesOut.put(
                    type,
                    Counter.builder(Meters.FRAMES_OUT)
                            .tag(Meters.TYPE, type.tag())
                            .description("Frames sent")
                            .register(registry));
        }
        for (Limit limit : Limit.values()) {
            rejected.put(
                    limit,
                    Counter.builder(Meters.LIMITS_REJECTED)
                            .tag(Meters.LIMIT, limit.tag())
                            .description("Requests, connections and messages refused by a limit")
                            .register(registry));
        }
        // The outcomes alerts divide by exist from the start: a counter born at 20 inside one scrape interval has no
        // rate, so a first burst of failures would never fire SluiceUnavailableErrors.
        for (FrameType type : REQUESTS) {
            for (String result :
                    List.of(Meters.OK, ErrorName.UNAVAILABLE.wireName(), ErrorName.UNKNOWN_ERROR.wireName())) {
                response(type, result);
            }
        }
        queueDepth = DistributionSummary.builder(Meters.QUEUE_DEPTH)
                .baseUnit("messages")
                .description("Messages waiting for the recipient each time one is queued")
                .serviceLevelObjectives(DEPTHS)
                .register(registry);
        deliveryLag = Timer.builder(Meters.DELIVERY_LAG)
                .description("How long a message waited in its queue before it was sent to the recipient")
                .serviceLevelObjectives(Meters.DELIVERY_SLOS.toArray(Duration[]::new))
                .register(registry);
    }

    /** The registry the meters are on. */
    public MeterRegistry registry() {
        return registry;
    }

    /** JVM memory, GC, threads, class loading; process CPU, uptime and file descriptors. */
    public void bindJvm() {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        bound.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder(Meters.PROCESS_CPU_TIME, os, o -> o.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("The CPU time used by the process")
                    .register(registry);
        }
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** {@link Meters#READY}: what {@code /readyz} says, as a number, evaluated at each scrape. */
    public void bindReadiness(Readiness readiness) {
        Gauge.builder(Meters.READY, readiness, r -> Readiness.allUp(r.run()) ? 1 : 0)
                .description("1 while every readiness check is up, else 0")
                .register(registry);
    }

    /** Each route's exchanges and failures ({@link RouteCounters}); call before the routes are added. */
    public void bindRoutes(CamelContext camel) {
        camel.addRoutePolicyFactory(new RouteCounters(registry));
    }

    /** Connections and the thread pool of the WebSocket front's Jetty server. */
    public void bindJetty(Server server) {
        Tags tags = Tags.of("server", "websocket");
        JettyConnectionMetrics.addToAllConnectors(server, registry, tags);
        JettyServerThreadPoolMetrics threads = new JettyServerThreadPoolMetrics(server.getThreadPool(), tags);
        threads.bindTo(registry);
        bound.add(threads);
    }

    /** Records what already waited for a recipient when a message was queued for it ({@code usage} counts it). */
    public void queued(QueueUsage usage) {
        queueDepth.record(Math.max(0, usage.messages() - 1));
    }

    @Override
    public void opened() {
        anonymous.incrementAndGet();
    }

    @Override
    public void authenticated() {
        anonymous.decrementAndGet();
        authenticated.incrementAndGet();
    }

    @Override
    public void closed(boolean wasAuthenticated) {
        (wasAuthenticated ? authenticated : anonymous).decrementAndGet();
    }

    @Override
    public void frameIn(FrameType type) {
        framesIn.get(type).increment();
    }

    @Override
    public void frameOut(FrameType type) {
        framesOut.get(type).increment();
    }

    @Override
    public void answered(FrameType type, ErrorName error, long nanos) {
        requests.computeIfAbsent(
                        type,
                        t -> Timer.builder(Meters.REQUESTS)
                                .tag(Meters.TYPE, t.tag())
                                .description("From a request's frame arriving to its answer")
                                .serviceLevelObjectives(REQUEST_SLOS)
                                .register(registry))
                .record(Duration.ofNanos(nanos));
        response(type, error == null ? Meters.OK : error.wireName()).increment();
    }

    private Counter response(FrameType type, String result) {
        return responses
                .computeIfAbsent(type, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(
                        result,
                        r -> Counter.builder(Meters.RESPONSES)
                                .tags(Meters.TYPE, type.tag(), Meters.RESULT, r)
                                .description("Answered requests")
                                .register(registry));
    }

    @Override
    public void delivered(Duration lag) {
        deliveryLag.record(lag.isNegative() ? Duration.ZERO : lag);
    }

    @Override
    public void rejected(Limit limit) {
        rejected.get(limit).increment();
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : bound) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.atDebug()
                        .addKeyValue("event", "metrics.close.failed")
                        .addKeyValue("error", e.toString())
                        .log();
            }
        }
    }
}
