package io.sluice.gateway;

import io.sluice.gateway.protocol.ProtocolSettings;
import io.sluice.spi.CommonSettings;
import io.sluice.spi.Setting;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The gateway's own settings, declared here once (key, default, meaning) and read and checked once at start-up.
 * The other records of the gateway ({@code AdminSettings}, {@code FrontSettings}, {@code TlsSettings},
 * {@code LimitsSettings}, {@code LogSettings}) and of each connector declare theirs the same way; all are listed
 * by {@link io.sluice.gateway.settings.GatewaySettingDefinitions}.
 *
 * @param host           sluice.host: the address to listen on
 * @param port           sluice.port: the WebSocket port (0 picks a free one)
 * @param dataDir        sluice.data-dir: where embedded backends keep their files
 * @param routes         sluice.routes: route files, folders, or classpath: resources
 * @param queueType      sluice.queue.type: the MessageQueue behind sluice:deliver
 * @param maxFrameBytes  sluice.max-frame-bytes: larger frames close the connection with 1009
 * @param requestTimeout sluice.request-timeout: a route that takes longer answers unavailable
 * @param pingInterval   sluice.ws.ping-interval: how often the server pings each connection
 * @param idleTimeout    sluice.ws.idle-timeout: a connection silent this long (no pong either) is closed
 * @param shutdownGrace  sluice.shutdown.grace: how long requests in progress get to finish on SIGTERM
 * @param protocol       the prekey and delivery settings of each connection
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
        Duration shutdownGrace,
        ProtocolSettings protocol) {

    /** The default route file, shipped in the jar. */
    public static final String DEFAULT_ROUTES = "classpath:routes/embedded.yaml";

    public static final Setting<String> CONFIG = Setting.string(
                    "sluice.config",
                    null,
                    "the settings file (.yaml, .yml, .properties); else sluice.yaml, sluice.yml or sluice.properties"
                            + " in the working directory")
            .defaultFrom("sluice.yaml, sluice.yml or sluice.properties if present");
    public static final Setting<String> HOST = Setting.string("sluice.host", "0.0.0.0", "address to listen on");
    public static final Setting<Integer> PORT = Setting.integer(
            "sluice.port",
            8080,
            0,
            65535,
            "WebSocket port; clients connect to ws://host:port/api (0 picks a free port)");
    public static final Setting<List<String>> ROUTES = Setting.list(
            "sluice.routes",
            DEFAULT_ROUTES,
            "comma-separated route files (.yaml, .yml, .xml), folders of them, or classpath: resources");
    public static final Setting<Boolean> ROUTES_RELOAD = Setting.bool(
            "sluice.routes.reload",
            false,
            "watch the route files; an edit that passes validation is swapped in without dropping connections");
    /** Declared with the common settings: the Kafka connector reads it too. */
    public static final Setting<String> QUEUE_TYPE = CommonSettings.QUEUE_TYPE;

    public static final Setting<Long> MAX_FRAME_BYTES = Setting.bytes(
            "sluice.max-frame-bytes",
            "1MiB",
            64L * 1024 * 1024,
            "larger frames close the connection with 1009 (512, 64KiB, 1MiB)");
    public static final Setting<Duration> REQUEST_TIMEOUT =
            Setting.duration("sluice.request-timeout", "10s", "a route that takes longer answers unavailable");
    public static final Setting<Integer> PREKEYS_LOW_THRESHOLD = Setting.integer(
            "sluice.prekeys.low-threshold",
            10,
            0,
            1_000_000,
            "PreKeysLow is sent when a device has fewer one-time prekeys");
    public static final Setting<Integer> PREKEYS_REQUEST_COUNT =
            Setting.integer("sluice.prekeys.request-count", 20, 1, 1_000_000, "the keysRequested in PreKeysLow");
    public static final Setting<Duration> PREKEYS_CHECK_INTERVAL = Setting.duration(
            "sluice.prekeys.check-interval",
            "5m",
            "how often an authenticated connection's prekeys are checked after login (300ms, 30s, 5m, 1h)");
    public static final Setting<Integer> DELIVERY_WINDOW = Setting.integer(
            "sluice.delivery.window",
            256,
            1,
            65_536,
            "how many inbound messages may await their ack on one connection");
    public static final Setting<Integer> MAX_REQUESTS_IN_FLIGHT = Setting.integer(
            "sluice.ws.max-requests-in-flight",
            256,
            1,
            65_536,
            "requests of one connection in progress before the server stops reading it");
    public static final Setting<Duration> PING_INTERVAL = Setting.duration(
            "sluice.ws.ping-interval",
            "30s",
            "no connection goes this long without a frame from the server: quiet ones are pinged");
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration(
                    "sluice.ws.idle-timeout",
                    null,
                    "a connection that sent nothing, not even a pong, for this long is closed (1001)")
            .defaultFrom("3 × sluice.ws.ping-interval");
    public static final Setting<Duration> SHUTDOWN_GRACE =
            Setting.duration("sluice.shutdown.grace", "10s", "on SIGTERM, how long requests in progress get to finish");

    /** The settings of this record, in the order the README lists them. */
    public static final List<Setting<?>> SETTINGS = List.of(
            CONFIG,
            HOST,
            PORT,
            ROUTES,
            ROUTES_RELOAD,
            MAX_FRAME_BYTES,
            REQUEST_TIMEOUT,
            PREKEYS_LOW_THRESHOLD,
            PREKEYS_REQUEST_COUNT,
            PREKEYS_CHECK_INTERVAL,
            DELIVERY_WINDOW,
            MAX_REQUESTS_IN_FLIGHT,
            PING_INTERVAL,
            IDLE_TIMEOUT,
            SHUTDOWN_GRACE);

    /**
     * Reads and checks every gateway setting.
     *
     * @throws SettingException naming the first setting that is not usable
     */
    public static GatewaySettings from(Settings settings) {
        Duration pingInterval = PING_INTERVAL.get(settings);
        Duration idleTimeout = IDLE_TIMEOUT.find(settings).orElse(pingInterval.multipliedBy(3));
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new SettingException(
                    IDLE_TIMEOUT.key(),
                    idleTimeout.toMillis() + "ms",
                    "longer than " + PING_INTERVAL.key() + " (" + pingInterval.toMillis() + "ms)");
        }
        Duration requestTimeout = REQUEST_TIMEOUT.get(settings);
        return new GatewaySettings(
                HOST.get(settings),
                PORT.get(settings),
                CommonSettings.DATA_DIR.get(settings),
                ROUTES.get(settings),
                QUEUE_TYPE.get(settings),
                (int) (long) MAX_FRAME_BYTES.get(settings),
                requestTimeout,
                pingInterval,
                idleTimeout,
                SHUTDOWN_GRACE.get(settings),
                new ProtocolSettings(
                        PREKEYS_LOW_THRESHOLD.get(settings),
                        PREKEYS_REQUEST_COUNT.get(settings),
                        PREKEYS_CHECK_INTERVAL.get(settings),
                        DELIVERY_WINDOW.get(settings),
                        MAX_REQUESTS_IN_FLIGHT.get(settings),
                        requestTimeout));
    }
}
