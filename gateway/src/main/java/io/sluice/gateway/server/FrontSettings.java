package io.sluice.gateway.server;

import io.sluice.gateway.tls.TlsSettings;
import io.sluice.spi.Setting;
import io.sluice.spi.Settings;
import java.util.List;

/**
 * How the client port faces the network, beside what {@link io.sluice.gateway.GatewaySettings} holds.
 *
 * @param tls              sluice.tls.*: {@code wss://} when on
 * @param forwardedHeaders sluice.ws.forwarded-headers: take the client's IP from {@code Forwarded} /
 *                         {@code X-Forwarded-For} (behind a trusted proxy or load balancer only: anyone else can
 *                         write them), so that the per-IP limits count clients rather than the proxy
 */
public record FrontSettings(TlsSettings tls, boolean forwardedHeaders) {
    /** Plain {@code ws://}, the socket's own address. */
    public static final FrontSettings PLAIN = new FrontSettings(TlsSettings.OFF, false);

    public static final Setting<Boolean> FORWARDED_HEADERS = Setting.bool(
            "sluice.ws.forwarded-headers",
            false,
            "take the client IP from Forwarded / X-Forwarded-For (only behind a proxy you trust)");

    /** The settings of this record, TLS's apart. */
    public static final List<Setting<?>> SETTINGS = List.of(FORWARDED_HEADERS);

    /** Reads the settings. */
    public static FrontSettings from(Settings settings) {
        return new FrontSettings(TlsSettings.from(settings), FORWARDED_HEADERS.get(settings));
    }
}
