package io.sluice.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.gateway.admin.AdminServer;
import io.sluice.gateway.admin.AdminSettings;
import io.sluice.gateway.admin.CamelReadiness;
import io.sluice.gateway.admin.Readiness;
import io.sluice.gateway.camel.DeliverGuard;
import io.sluice.gateway.camel.RouteBridge;
import io.sluice.gateway.camel.SettingsPropertiesSource;
import io.sluice.gateway.camel.SluiceComponent;
import io.sluice.gateway.limits.Limits;
import io.sluice.gateway.limits.LimitsSettings;
import io.sluice.gateway.limits.RateLimiterStores;
import io.sluice.gateway.logging.Logging;
import io.sluice.gateway.metrics.GatewayMetrics;
import io.sluice.gateway.protocol.Backend;
import io.sluice.gateway.protocol.ConnectionServices;
import io.sluice.gateway.protocol.DeadlineBackend;
import io.sluice.gateway.protocol.Deadlines;
import io.sluice.gateway.protocol.Failures;
import io.sluice.gateway.routefiles.RouteFiles;
import io.sluice.gateway.routefiles.RouteReloader;
import io.sluice.gateway.routefiles.RouteValidator;
import io.sluice.gateway.routefiles.ValidatedRoutes;
import io.sluice.gateway.server.FrontSettings;
import io.sluice.gateway.server.WebSocketServer;
import io.sluice.gateway.settings.SettingsCatalog;
import io.sluice.gateway.settings.SettingsSources;
import io.sluice.gateway.tls.CertificateReloader;
import io.sluice.gateway.tracing.Tracing;
import io.sluice.spi.Enqueued;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.MessageQueueProvider;
import io.sluice.spi.RateLimiters;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Sluice gateway: the message queue, the Camel routes with the {@code sluice:} component, and the
 * WebSocket front, started in that order and stopped in reverse.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.start(Settings.of(Map.of("sluice.port", "0")))) {
 *     URI uri = gateway.uri();   // ws://127.0.0.1:<port>/api
 * }
 * }</pre>
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final GatewaySettings config;
    private final Settings settings;
    private final LimitsSettings limitsSettings;
    private final AdminSettings adminSettings;
    private final FrontSettings frontSettings;
    private final PrometheusMeterRegistry registry;
    private final Tracing tracing;
    private Limits limits;
    private RateLimiters rateLimiters;
    private GatewayMetrics metrics;
    private AdminServer admin;
    private volatile MessageQueue queue;
    private volatile CamelContext camel;
    private RouteBridge bridge;
    private WebSocketServer server;
    private RouteReloader reloader;
    private ExecutorService requests;
    private CertificateReloader tlsReloader;
    private ExecutorService deliveries;
    private Deadlines deadlines;
    private ScheduledExecutorService scheduler;
    private volatile boolean running;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Duration shutdownGrace;

    private Gateway(Settings settings, PrometheusMeterRegistry registry, Tracing tracing) {
        this.settings = settings;
        this.config = GatewaySettings.from(settings);
        this.limitsSettings = LimitsSettings.from(settings, config.protocol().lowThreshold());
        this.adminSettings = AdminSettings.from(settings);
        this.frontSettings = FrontSettings.from(settings);
        this.shutdownGrace = config.shutdownGrace();
        this.registry = registry;
        this.tracing = tracing;
    }

    /**
     * Starts a gateway with these settings.
     *
     * @throws SettingException when a setting is unusable
     * @throws io.sluice.gateway.routefiles.RouteFileException when a route file is not valid (nothing was started)
     * @throws Exception        when a route or backend cannot start
     */
    public static Gateway start(Settings settings) throws Exception {
        return start(settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /**
     * Starts a gateway with these settings, its meters on {@code registry}, which {@code /metrics} on the admin
     * port publishes.
     *
     * @throws SettingException when a setting is unusable
     * @throws Exception        when a route or backend cannot start
     */
    public static Gateway start(Settings settings, PrometheusMeterRegistry registry) throws Exception {
        Tracing tracing = Tracing.from(settings);
        try {
            return start(settings, registry, tracing);
        } catch (Exception | Error e) {
            tracing.close();
            throw e;
        }
    }

    /**
     * Starts a gateway whose spans go to {@code tracing} (for example an OpenTelemetry an agent or a test owns),
     * whatever {@code sluice.tracing.*} says. The gateway closes it when it stops.
     *
     * @throws SettingException when a setting is unusable
     * @throws Exception        when a route or backend cannot start
     */
    public static Gateway start(Settings settings, PrometheusMeterRegistry registry, Tracing tracing) throws Exception {
        Gateway gateway = new Gateway(settings, registry, tracing);
        try {
            gateway.startAll();
            return gateway;
        } catch (Exception | Error e) {
            gateway.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        long started = System.nanoTime();
        // Before anything opens or listens: a bad route file stops start-up with one line naming it.
        ValidatedRoutes routes = RouteValidator.validate(settings, config.routes());
        // A mistyped setting would otherwise be ignored in silence: known are the modules' and the routes' keys.
        SettingsSources.refuseUnknown(settings, SettingsCatalog.installed(), routes.placeholders());
        rateLimiters = RateLimiterStores.open(limitsSettings.store(), settings);
        metrics = new GatewayMetrics(registry);
        metrics.bindJvm();
        Readiness readiness = readiness();
        metrics.bindReadiness(readiness);
        admin = new AdminServer(adminSettings, registry, readiness);
        listen(AdminSettings.PORT.key(), adminSettings.host(), adminSettings.port(), admin::start);
        queue = openQueue(config.queueType(), settings);
        camel = new DefaultCamelContext();
        SettingsPropertiesSource.install(camel, settings);
        Logging.quietRouteFailures(camel);
        metrics.bindRoutes(camel);
        tracing.bind(camel);
        limits = Limits.of(limitsSettings, rateLimiters, metrics);
        SluiceComponent component =
                new SluiceComponent(queue, DeliverGuard.of(limits.queueQuota(), (recipient, result) -> {
                    if (result.outcome() == Enqueued.Outcome.QUEUED) {
                        metrics.queued(result.usage());
                    }
                    return limits.queueRefusal(result.outcome());
                }));
        component.traceBatchItems(tracing.batchItems());
        camel.addComponent("sluice", component);
        RouteFiles.loadFiles(camel, routes.files());
        camel.start();
        reloader = RouteReloader.startIfEnabled(settings, config.routes(), camel, routes.files())
                .orElse(null);
        bridge = new RouteBridge(component, tracing.requests());

        requests = Executors.newVirtualThreadPerTaskExecutor();
        deliveries = Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                Thread.ofPlatform().name("sluice-delivery-", 0).daemon().factory());
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("sluice-timer").daemon().factory());
        timers.setRemoveOnCancelPolicy(true);
        scheduler = timers;
        deadlines = Deadlines.start(scheduler, config.requestTimeout());
        server = new WebSocketServer(
                config,
                new ConnectionServices(
                        bridge, queue, config.protocol(), requests, deliveries, scheduler, deadlines, limits, metrics),
                frontSettings);
        listen(GatewaySettings.PORT.key(), config.host(), config.port(), server::start);
        metrics.bindJetty(server.jettyServer());
        if (frontSettings.tls().enabled()) {
            tlsReloader = CertificateReloader.start(
                    frontSettings.tls(), server.sslContextFactory().orElseThrow(), scheduler, registry);
        }
        running = true;
        LOG.atInfo()
                .addKeyValue("event", "started")
                .addKeyValue(
                        "url", server.scheme() + "://" + config.host() + ":" + server.port() + WebSocketServer.PATH)
                .addKeyValue("admin", "http://" + adminSettings.host() + ":" + admin.port())
                .addKeyValue("routes", String.join(",", config.routes()))
                .addKeyValue("queue", config.queueType())
                .addKeyValue("data_dir", config.dataDir().toString())
                .addKeyValue("startup_ms", (System.nanoTime() - started) / 1_000_000)
                .log();
    }

    /** Starts a listener; a port in use is a bad setting, named with its port, not a failure to start. */
    private static void listen(String key, String host, int port, Listener listener) throws Exception {
        try {
            listener.start();
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof java.net.BindException bind) {
                    String why = bind.getMessage() == null ? "cannot bind" : bind.getMessage();
                    throw (SettingException) new SettingException(
                                    key,
                                    Integer.toString(port),
                                    "a port no other process listens on; " + host + ":" + port + ": " + why)
                            .initCause(e);
                }
            }
            throw e;
        }
    }

    @FunctionalInterface
    private interface Listener {
        void start() throws Exception;
    }

    /** What /readyz checks: started and not shutting down, the routes, the queue. */
    private Readiness readiness() {
        return Readiness.of(List.of(
                () -> List.of(
                        stopping.get()
                                ? Readiness.Check.down("gateway", "shutting down")
                                : running
                                        ? Readiness.Check.up("gateway")
                                        : Readiness.Check.down("gateway", "starting")),
                () -> camel == null ? List.of() : CamelReadiness.check(camel),
                () -> {
                    MessageQueue current = queue;
                    if (current == null) {
                        return List.of(Readiness.Check.down("queue", "not open"));
                    }
                    try {
                        current.checkAvailable();
                        return List.of(Readiness.Check.up("queue"));
                    } catch (RuntimeException e) {
                        return List.of(Readiness.Check.down("queue", Failures.describe(e)));
                    }
                }));
    }

    private static MessageQueue openQueue(String type, Settings settings) {
        Optional<MessageQueueProvider> provider = ServiceLoader.load(MessageQueueProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.type().equals(type))
                .findFirst();
        return provider.orElseThrow(() -> new SettingException(
                        "sluice.queue.type",
                        type,
                        "one of "
                                + ServiceLoader.load(MessageQueueProvider.class).stream()
                                        .map(p -> p.get().type())
                                        .toList()))
                .open(settings);
    }

    /** The settings this gateway runs with. */
    public GatewaySettings config() {
        return config;
    }

    /** The port the WebSocket front listens on. */
    public int port() {
        return server.port();
    }

    /** The URI clients on this machine connect to. */
    public java.net.URI uri() {
        return java.net.URI.create(server.scheme() + "://127.0.0.1:" + port() + WebSocketServer.PATH);
    }

    /**
     * The routed requests, as connections see them, each bounded by the request timeout; for tests and tools that
     * call routes directly.
     */
    public Backend backend() {
        return new DeadlineBackend(bridge, deadlines);
    }

    /** The message queue behind {@code sluice:deliver}. */
    public MessageQueue queue() {
        return queue;
    }

    /** The Camel context running the routes. */
    public CamelContext camel() {
        return camel;
    }

    /** The port of the admin endpoints ({@code /metrics}, {@code /healthz}, {@code /readyz}). */
    public int adminPort() {
        return admin.port();
    }

    /** The registry of every meter. */
    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /** The route file watcher, when {@code sluice.routes.reload} is on. */
    public Optional<RouteReloader> routeReloader() {
        return Optional.ofNullable(reloader);
    }

    /** How many client connections are open. */
    public int connectionCount() {
        return server.connectionCount();
    }

    /**
     * Stops gracefully, as on SIGTERM: {@code /readyz} turns 503, the client port stops accepting, requests in
     * progress get up to the grace ({@code sluice.shutdown.grace}) to finish while new ones are answered
     * {@code unavailable}, every connection gets a close frame (1001), then the routes stop, and the queue and the
     * stores are closed. Every request acked before this returns is durable.
     */
    public void shutdown() {
        shutdown(shutdownGrace);
    }

    /** {@link #shutdown()} with this grace; {@link Duration#ZERO} cuts requests in progress. */
    public void shutdown(Duration grace) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        int busy = 0;
        if (server != null) {
            if (!grace.isZero()) {
                LOG.atInfo()
                        .addKeyValue("event", "shutdown.started")
                        .addKeyValue("connections", server.connectionCount())
                        .addKeyValue("grace_ms", grace.toMillis())
                        .log();
            }
            busy = server.drain(grace);
            try {
                server.close();
            } catch (Exception e) {
                LOG.atWarn()
                        .addKeyValue("event", "stop.failed")
                        .addKeyValue("part", "websocket")
                        .addKeyValue("error", e.toString())
                        .log();
            }
        }
        if (reloader != null) {
            reloader.close();
        }
        if (tlsReloader != null) {
            tlsReloader.close();
        }
        if (camel != null) {
            // Whatever the routes still hold (a broker consumer's exchange) gets the rest of the grace, and a second.
            long left = Math.max(1000, grace.toMillis() - (System.nanoTime() - started) / 1_000_000);
            camel.getShutdownStrategy().setTimeUnit(TimeUnit.MILLISECONDS);
            camel.getShutdownStrategy().setTimeout(left);
            try {
                camel.close();
            } catch (Exception e) {
                LOG.atWarn()
                        .addKeyValue("event", "stop.failed")
                        .addKeyValue("part", "routes")
                        .addKeyValue("error", e.toString())
                        .log();
            }
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (deadlines != null) {
            deadlines.close();
        }
        if (requests != null) {
            requests.shutdownNow();
        }
        if (deliveries != null) {
            deliveries.shutdownNow();
        }
        if (queue != null) {
            queue.close();
        }
        if (rateLimiters != null) {
            rateLimiters.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        tracing.close();
        if (admin != null) {
            try {
                admin.close();
            } catch (Exception e) {
                LOG.atWarn()
                        .addKeyValue("event", "stop.failed")
                        .addKeyValue("part", "admin")
                        .addKeyValue("error", e.toString())
                        .log();
            }
        }
        if (running) {
            running = false;
            LOG.atInfo()
                    .addKeyValue("event", "stopped")
                    .addKeyValue("cut_connections", busy)
                    .addKeyValue("shutdown_ms", (System.nanoTime() - started) / 1_000_000)
                    .log();
        }
    }

    /** Stops at once: {@link #shutdown(Duration)} without a grace. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
