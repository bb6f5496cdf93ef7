package io.sluice.gateway.server;

import io.sluice.gateway.GatewaySettings;
import io.sluice.gateway.protocol.CloseStatus;
import io.sluice.gateway.protocol.ConnectionServices;
import io.sluice.gateway.tls.ServerTls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty server that terminates client WebSockets at {@code /api}. Jetty enforces the frame size limit
 * (closing with 1009); this class pings quiet connections (see {@link Keepalive} for when) and closes those
 * that stayed silent, pongs included, past the idle timeout.
 */
public final class WebSocketServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketServer.class);
    /** How long the clients get at least to answer the close frames of a graceful stop. */
    private static final Duration CLOSE_HANDSHAKE = Duration.ofSeconds(2);
    /** The path clients connect to. */
    public static final String PATH = "/api";

    private final GatewaySettings config;
    private final ConnectionServices services;
    private final FrontSettings front;
    private final Set<JettyEndpoint> endpoints = ConcurrentHashMap.newKeySet();
    private Server server;
    private ServerConnector connector;
    private SslContextFactory.Server ssl;
    private final Keepalive keepalivePolicy;
    private ScheduledFuture<?> keepalive;

    public WebSocketServer(GatewaySettings config, ConnectionServices services) {
        this(config, services, FrontSettings.PLAIN);
    }

    /** A server with TLS and proxy settings. */
    public WebSocketServer(GatewaySettings config, ConnectionServices services, FrontSettings front) {
        this.config = config;
        this.services = services;
        this.front = front;
        this.keepalivePolicy = new Keepalive(config.pingInterval(), config.idleTimeout());
    }

    /** Starts listening. */
    public void start() throws Exception {
        QueuedThreadPool threads =
                new QueuedThreadPool(Math.max(16, 8 * Runtime.getRuntime().availableProcessors()));
        threads.setName("sluice-ws");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        if (front.forwardedHeaders()) {
            http.addCustomizer(new ForwardedRequestCustomizer());
        }
        HttpConnectionFactory plain = new HttpConnectionFactory(http);
        if (front.tls().enabled()) {
            http.addCustomizer(new SecureRequestCustomizer());
            ssl = ServerTls.factory(front.tls());
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, plain.getProtocol()), plain);
        } else {
            connector = new ServerConnector(server, plain);
        }
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setAcceptQueueSize(4096);
        connector.addEventListener(new HandshakeDeadline(front.handshakeTimeout(), connector.getScheduler()));
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxBinaryMessageSize(config.maxFrameBytes());
            container.setMaxTextMessageSize(config.maxFrameBytes());
            container.setMaxFrameSize(config.maxFrameBytes());
            // A backstop only: the keepalive sweep closes silent connections first.
            container.setIdleTimeout(config.idleTimeout().plus(config.pingInterval()));
            container.addMapping(
                    PATH,
                    (request, response, callback) -> new JettyEndpoint(services, this, Request.getRemoteAddr(request)));
        });
        context.setHandler(upgrade);
        server.setHandler(context);
        server.setStopTimeout(0);
        server.start();
        long tick = keepalivePolicy.tick().toNanos();
        keepalive = services.scheduler().scheduleWithFixedDelay(this::keepalive, tick, tick, TimeUnit.NANOSECONDS);
    }

    /** {@code wss} with TLS, else {@code ws}. */
    public String scheme() {
        return front.tls().enabled() ? "wss" : "ws";
    }

    /** The port listened on; the real one when the configured port was 0. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The TLS of the client port, for reloading its certificate; empty without TLS. */
    public Optional<SslContextFactory.Server> sslContextFactory() {
        return Optional.ofNullable(ssl);
    }

    /** The Jetty server, for binding its metrics. */
    public Server jettyServer() {
        return server;
    }

    /** How many client connections are open. */
    public int connectionCount() {
        return endpoints.size();
    }

    void opened(JettyEndpoint endpoint) {
        endpoints.add(endpoint);
    }

    void closed(JettyEndpoint endpoint) {
        endpoints.remove(endpoint);
        synchronized (endpoints) {
            endpoints.notifyAll();
        }
    }

    private void awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (endpoints) {
            long left;
            while (!endpoints.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(endpoints, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void keepalive() {
        long now = System.nanoTime();
        for (JettyEndpoint endpoint : endpoints) {
            switch (keepalivePolicy.decide(
                    now, endpoint.lastSentNanos(), endpoint.lastHeardNanos(), endpoint.closingSinceNanos())) {
                case PING -> endpoint.ping();
                case CLOSE -> {
                    LOG.atInfo()
                            .addKeyValue("event", "idle.close")
                            .addKeyValue("conn", connectionId(endpoint))
                            .addKeyValue("silent_ms", (now - endpoint.lastHeardNanos()) / 1_000_000)
                            .log();
                    endpoint.closeIdle();
                }
                case DISCONNECT -> {
                    LOG.atInfo()
                            .addKeyValue("event", "idle.disconnect")
                            .addKeyValue("conn", connectionId(endpoint))
                            .log();
                    endpoint.disconnect();
                }
                case NONE -> {}
            }
        }
    }

    private static String connectionId(JettyEndpoint endpoint) {
        return endpoint.connection() == null ? "-" : endpoint.connection().id();
    }

    /**
     * The first half of a graceful stop: stops accepting connections, lets each connection's requests in progress
     * finish within {@code grace} while new ones are answered {@code unavailable}, then sends every connection a
     * close frame (1001) and gives the clients a moment to answer it.
     *
     * @return how many connections still had requests in progress when the grace ran out
     */
    public int drain(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        if (keepalive != null) {
            keepalive.cancel(false);
        }
        if (connector != null) {
            connector.close();
        }
        List<CompletableFuture<Void>> drains = new ArrayList<>();
        for (JettyEndpoint endpoint : endpoints) {
            drains.add(endpoint.drain().toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.atWarn()
                    .addKeyValue("event", "drain.failed")
                    .addKeyValue("error", e.getCause().toString())
                    .log();
        }
        int busy = (int) drains.stream().filter(d -> !d.isDone()).count();
        for (JettyEndpoint endpoint : endpoints) {
            endpoint.close(CloseStatus.GOING_AWAY, "server shutting down");
        }
        if (!grace.isZero()) {
            long left = deadline - System.nanoTime();
            awaitClosed(left > CLOSE_HANDSHAKE.toNanos() ? Duration.ofNanos(left) : CLOSE_HANDSHAKE);
        }
        return busy;
    }

    /** Closes every connection with 1001 at once and stops listening. */
    @Override
    public void close() throws Exception {
        drain(Duration.ZERO);
        if (server != null) {
            server.stop();
        }
    }
}
