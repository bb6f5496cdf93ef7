package io.sluice.gateway.admin;

import io.sluice.spi.Settings;

/**
 * Where the admin endpoints listen: a port apart from the clients', so that it can stay inside the operator's
 * network.
 *
 * @param host sluice.admin.host: the address to listen on (default: sluice.host)
 * @param port sluice.admin.port: the port (default 9090; 0 picks a free one)
 */
public record AdminSettings(String host, int port) {

    /** Reads the admin settings. */
    public static AdminSettings from(Settings settings) {
        return new AdminSettings(
                settings.string("sluice.admin.host", settings.string("sluice.host", "0.0.0.0")),
                settings.integer("sluice.admin.port", 9090, 0, 65535));
    }
}
