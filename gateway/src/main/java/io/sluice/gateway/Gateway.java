package io.sluice.gateway;

import io.sluice.gateway.camel.RouteBridge;
import io.sluice.gateway.camel.RouteFiles;
import io.sluice.gateway.camel.SluiceComponent;
import io.sluice.gateway.protocol.Backend;
import io.sluice.gateway.protocol.ConnectionServices;
import io.sluice.gateway.server.WebSocketServer;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.MessageQueueProvider;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.LoadablePropertiesSource;
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

    private final GatewayConfig config;
    private final Settings settings;
    private MessageQueue queue;
    private CamelContext camel;
    private RouteBridge bridge;
    private WebSocketServer server;
    private ExecutorService deliveries;
    private ScheduledExecutorService scheduler;
    private volatile boolean running;

    private Gateway(Settings settings) {
        this.settings = settings;
        this.config = GatewayConfig.from(settings);
    }

    /**
     * Starts a gateway with these settings.
     *
     * @throws SettingException when a setting is unusable
     * @throws Exception        when a route or backend cannot start
     */
    public static Gateway start(Settings settings) throws Exception {
        Gateway gateway = new Gateway(settings);
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
        queue = openQueue(config.queueType(), settings);
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().addPropertiesSource(new SettingsPropertiesSource(settings));
        SluiceComponent component = new SluiceComponent(queue);
        camel.addComponent("sluice", component);
        RouteFiles.load(camel, config.routes());
        camel.start();
        bridge = new RouteBridge(component, config.requestTimeout());

        deliveries = Executors.newVirtualThreadPerTaskExecutor();
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("sluice-timer").daemon().factory());
        timers.setRemoveOnCancelPolicy(true);
        scheduler = timers;
        server = new WebSocketServer(config, new ConnectionServices(bridge, queue, config.protocol(), deliveries,
                scheduler));
        server.start();
        running = true;
        LOG.info("event=started url=ws://{}:{}{} routes={} queue={} data_dir={} startup_ms={}", config.host(),
                server.port(), WebSocketServer.PATH, String.join(",", config.routes()), config.queueType(),
                config.dataDir(), (System.nanoTime() - started) / 1_000_000);
    }

    private static MessageQueue openQueue(String type, Settings settings) {
        Optional<MessageQueueProvider> provider = ServiceLoader.load(MessageQueueProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.type().equals(type)).findFirst();
        return provider.orElseThrow(() -> new SettingException("sluice.queue.type", type,
                "one of " + ServiceLoader.load(MessageQueueProvider.class).stream()
                        .map(p -> p.get().type()).toList())).open(settings);
    }

    /** The settings this gateway runs with. */
    public GatewayConfig config() {
        return config;
    }

    /** The port the WebSocket front listens on. */
    public int port() {
        return server.port();
    }

    /** The URI clients on this machine connect to. */
    public java.net.URI uri() {
        return java.net.URI.create("ws://127.0.0.1:" + port() + WebSocketServer.PATH);
    }

    /** The routed requests, as connections see them; for tests and tools that call routes directly. */
    public Backend backend() {
        return bridge;
    }

    /** The message queue behind {@code sluice:deliver}. */
    public MessageQueue queue() {
        return queue;
    }

    /** The Camel context running the routes. */
    public CamelContext camel() {
        return camel;
    }

    /** How many client connections are open. */
    public int connectionCount() {
        return server.connectionCount();
    }

    /** Closes every connection (1001), stops the routes and closes the queue. */
    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (Exception e) {
            LOG.warn("event=stop.failed part=websocket error={}", e.toString());
        }
        if (camel != null) {
            try {
                camel.close();
            } catch (Exception e) {
                LOG.warn("event=stop.failed part=routes error={}", e.toString());
            }
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (deliveries != null) {
            deliveries.shutdownNow();
        }
        if (queue != null) {
            queue.close();
        }
        if (running) {
            running = false;
            LOG.info("event=stopped");
        }
    }

    /**
     * Lets routes read every setting as a property placeholder, {@code {{sluice.kafka.brokers}}}, and lets beans
     * list settings by prefix ({@code sluice.kafka.producer.*}) through the properties component.
     */
    private record SettingsPropertiesSource(Settings settings) implements LoadablePropertiesSource {
        @Override
        public String getName() {
            return "sluice-settings";
        }

        @Override
        public String getProperty(String name) {
            return settings.get(name).orElse(null);
        }

        @Override
        public Properties loadProperties() {
            return loadProperties(name -> true);
        }

        @Override
        public Properties loadProperties(Predicate<String> filter) {
            Properties properties = new Properties();
            settings.withPrefix("sluice.").forEach((name, value) -> {
                if (filter.test(name)) {
                    properties.setProperty(name, value);
                }
            });
            return properties;
        }

        @Override
        public void reloadProperties(String location) {
            // Settings are read once at start-up.
        }
    }
}
