package io.sluice.gateway;

import io.sluice.gateway.protocol.ProtocolSettings;
import io.sluice.spi.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The gateway's own settings, read and checked once at start-up. Connectors read theirs from the same
 * {@link Settings}. Every key, its default and its meaning are listed in the README.
 *
 * @param host             sluice.host: the address to listen on
 * @param port             sluice.port: the WebSocket port (0 picks a free one)
 * @param dataDir          sluice.data-dir: where embedded backends keep their files
 * @param routes           sluice.routes: route files, folders, or classpath: resources
 * @param queueType        sluice.queue.type: the MessageQueue behind sluice:deliver
 * @param maxFrameBytes    sluice.max-frame-bytes: larger frames close the connection with 1009
 * @param requestTimeout   sluice.request-timeout: a route that takes longer answers unavailable
 * @param pingInterval     sluice.ws.ping-interval: how often the server pings each connection
 * @param idleTimeout      sluice.ws.idle-timeout: a connection silent this long (no pong either) is closed
 * @param protocol         the prekey and delivery settings of each connection
 */
public record GatewaySettings(
        String host,
        int port,
        Path dataDir,
        List<String> routes,
        String queueType,
        int maxFrameBytes,
        Duration requestTimeout,
        Duration pingInterval,
        Duration idleTimeout,
        ProtocolSettings protocol) {

    /** The default route file, shipped in the jar. */
    public static final String DEFAULT_ROUTES = "classpath:routes/embedded.yaml";

    /**
     * Reads and checks every gateway setting.
     *
     * @throws io.sluice.spi.SettingException naming the first setting that is not usable
     */
    public static GatewaySettings from(Settings settings) {
        Duration pingInterval = settings.duration("sluice.ws.ping-interval", Duration.ofSeconds(30));
        Duration idleTimeout = settings.duration("sluice.ws.idle-timeout", pingInterval.multipliedBy(3));
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new io.sluice.spi.SettingException(
                    "sluice.ws.idle-timeout",
                    idleTimeout.toMillis() + "ms",
                    "longer than sluice.ws.ping-interval (" + pingInterval.toMillis() + "ms)");
        }
        Duration requestTimeout = settings.duration("sluice.request-timeout", Duration.ofSeconds(10));
        return new GatewaySettings(
                settings.string("sluice.host", "0.0.0.0"),
                settings.integer("sluice.port", 8080, 0, 65535),
                settings.path("sluice.data-dir", Path.of("data")),
                settings.list("sluice.routes", List.of(DEFAULT_ROUTES)),
                settings.string("sluice.queue.type", "embedded"),
                (int) settings.bytes("sluice.max-frame-bytes", 1024 * 1024, 64L * 1024 * 1024),
                requestTimeout,
                pingInterval,
                idleTimeout,
                new ProtocolSettings(
                        settings.integer("sluice.prekeys.low-threshold", 10, 0, 1_000_000),
                        settings.integer("sluice.prekeys.request-count", 20, 1, 1_000_000),
                        settings.duration("sluice.prekeys.check-interval", Duration.ofMinutes(5)),
                        settings.integer("sluice.delivery.window", 256, 1, 65_536),
                        settings.integer("sluice.ws.max-requests-in-flight", 256, 1, 65_536),
                        requestTimeout));
    }
}
