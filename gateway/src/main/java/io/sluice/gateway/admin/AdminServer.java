package io.sluice.gateway.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The operator's HTTP endpoints, on their own port and their own small Jetty server so that neither client load
 * nor a draining WebSocket front gets in their way:
 * <ul>
 *   <li>{@code GET /metrics}: every meter, Prometheus text format (OpenMetrics when the scraper asks for it);
 *   <li>{@code GET /healthz}: 200 while the process runs;
 *   <li>{@code GET /readyz}: 200 when every {@link Readiness} check is up, else 503; one line per check.
 * </ul>
 */
public final class AdminServer implements AutoCloseable {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String PLAIN = "text/plain; charset=utf-8";

    private final AdminSettings config;
    private final PrometheusMeterRegistry registry;
    private final Readiness readiness;
    private Server server;
    private ServerConnector connector;

    public AdminServer(AdminSettings config, PrometheusMeterRegistry registry, Readiness readiness) {
        this.config = config;
        this.registry = registry;
        this.readiness = readiness;
    }

    /** Starts listening. */
    public void start() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("sluice-admin");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return AdminServer.this.handle(request, response, callback);
            }
        });
        server.setStopTimeout(0);
        server.start();
    }

    /** The port listened on; the real one when the configured port was 0. */
    public int port() {
        return connector.getLocalPort();
    }

    private boolean handle(Request request, Response response, Callback callback) {
        if (!request.getMethod().equals("GET")) {
            return reply(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, PLAIN, "GET only\n");
        }
        return switch (Request.getPathInContext(request)) {
            case "/metrics" -> {
                String accept = request.getHeaders().get(HttpHeader.ACCEPT);
                String type = accept != null && accept.contains("application/openmetrics-text")
                        ? OPENMETRICS_TEXT
                        : PROMETHEUS_TEXT;
                yield reply(response, callback, HttpStatus.OK_200, type, registry.scrape(type));
            }
            case "/healthz" -> reply(response, callback, HttpStatus.OK_200, PLAIN, "ok\n");
            case "/readyz" -> {
                List<Readiness.Check> checks = readiness.run();
                StringBuilder body = new StringBuilder(Readiness.allUp(checks) ? "ready\n" : "not ready\n");
                for (Readiness.Check check : checks) {
                    body.append(check.name()).append(": ").append(check.up() ? "up" : "down");
                    if (!check.detail().isEmpty()) {
                        body.append(" (").append(check.detail()).append(')');
                    }
                    body.append('\n');
                }
                yield reply(
                        response,
                        callback,
                        Readiness.allUp(checks) ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503,
                        PLAIN,
                        body.toString());
            }
            default ->
                reply(
                        response,
                        callback,
                        HttpStatus.NOT_FOUND_404,
                        PLAIN,
                        "not found: try /metrics, /healthz or /readyz\n");
        };
    }

    private static boolean reply(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, body, callback);
        return true;
    }

    /** Stops listening. */
    @Override
    public void close() throws Exception {
        if (server != null) {
            server.stop();
        }
    }
}
