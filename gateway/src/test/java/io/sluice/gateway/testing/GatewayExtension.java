package io.sluice.gateway.testing;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.tracing.Tracing;
import io.sluice.spi.Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real gateway in this JVM, on free ports of 127.0.0.1 (clients and admin) with its own data directory, for one
 * test class.
 * Clients opened through it are closed after each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final GatewayExtension GATEWAY = GatewayExtension.withSettings(Map.of("sluice.routes", "routes/kafka.yaml"));
 * }</pre>
 */
public final class GatewayExtension implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    private final Map<String, String> settings;
    private final OpenTelemetry openTelemetry;
    private final List<SluiceClient> clients = new ArrayList<>();
    private Path dataDir;
    private Gateway gateway;

    private GatewayExtension(Map<String, String> settings, OpenTelemetry openTelemetry) {
        this.settings = settings;
        this.openTelemetry = openTelemetry;
    }

    /** A gateway on the embedded default. */
    public static GatewayExtension embedded() {
        return withSettings(Map.of());
    }

    /** A gateway with these settings on top of the test defaults (free port, temp data dir). */
    public static GatewayExtension withSettings(Map<String, String> settings) {
        return new GatewayExtension(Map.copyOf(settings), null);
    }

    /** The same gateway, its spans going to {@code openTelemetry} (a test's in-memory exporter). */
    public GatewayExtension tracedBy(OpenTelemetry openTelemetry) {
        return new GatewayExtension(settings, openTelemetry);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("sluice-test-");
        start();
    }

    /** Starts the gateway (again, after {@link #stop()}), on the same data directory. */
    public void start() throws Exception {
        Map<String, String> all = new HashMap<>();
        all.put("sluice.host", "127.0.0.1");
        all.put("sluice.port", "0");
        all.put("sluice.admin.port", "0");
        all.put("sluice.data-dir", dataDir.toString());
        all.putAll(settings);
        gateway = openTelemetry == null
                ? Gateway.start(Settings.of(all))
                : Gateway.start(
                        Settings.of(all),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        Tracing.of(openTelemetry));
    }

    /** Stops the gateway, keeping its data. */
    public void stop() {
        closeClients();
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }

    /** The running gateway. */
    public Gateway gateway() {
        return gateway;
    }

    /** Where clients connect. */
    public URI uri() {
        return gateway.uri();
    }

    /** The admin endpoints' base, {@code http://127.0.0.1:<port>}. */
    public URI adminUri() {
        return URI.create("http://127.0.0.1:" + gateway.adminPort());
    }

    /** An anonymous client, closed after the test. */
    public SluiceClient connect() throws Exception {
        SluiceClient client = SluiceClient.connect(uri()).get();
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    /** A client logged in as {@code identity}'s device {@code deviceId}, closed after the test. */
    public SluiceClient login(Identity identity, int deviceId) throws Exception {
        SluiceClient client = connect();
        client.login(identity, deviceId).get();
        return client;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeClients();
    }

    private void closeClients() {
        synchronized (clients) {
            clients.forEach(SluiceClient::close);
            clients.clear();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stop();
        deleteTree(dataDir);
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
