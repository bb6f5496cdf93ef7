package io.sluice.gateway.admin;

import io.sluice.gateway.GatewaySettings;
import io.sluice.spi.Setting;
import io.sluice.spi.Settings;
import java.util.List;

/**
 * Where the admin endpoints listen: a port apart from the clients', so that it can stay inside the operator's
 * network.
 *
 * @param host sluice.admin.host: the address to listen on (default: sluice.host)
 * @param port sluice.admin.port: the port (default 9090; 0 picks a free one)
 */
public record AdminSettings(String host, int port) {
    public static final Setting<String> HOST = Setting.string(
                    "sluice.admin.host", null, "address of the admin endpoints")
            .defaultFrom("sluice.host");
    public static final Setting<Integer> PORT = Setting.integer(
            "sluice.admin.port", 9090, 0, 65535, "port of /metrics, /healthz, /readyz (0 picks a free port)");

    /** The settings of this record. */
    public static final List<Setting<?>> SETTINGS = List.of(HOST, PORT);

    /** Reads the admin settings. */
    public static AdminSettings from(Settings settings) {
        return new AdminSettings(
                HOST.find(settings).orElseGet(() -> GatewaySettings.HOST.get(settings)), PORT.get(settings));
    }
}
