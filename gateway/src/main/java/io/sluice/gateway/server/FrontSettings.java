package io.sluice.gateway.server;

import io.sluice.gateway.tls.TlsSettings;
import io.sluice.spi.Setting;
import io.sluice.spi.Settings;
import java.time.Duration;
import java.util.List;

/**
 * How the client port faces the network, beside what {@link io.sluice.gateway.GatewaySettings} holds.
 *
 * @param tls sluice.tls.*: {@code wss://} when on
 * @param forwardedHeaders sluice.ws.forwarded-headers: take the client's IP from {@code Forwarded} / {@code
 *     X-Forwarded-For} (behind a trusted proxy or load balancer only: anyone else can write them), so that the
 *     per-IP limits count clients rather than the proxy
 * @param handshakeTimeout sluice.ws.handshake-timeout: how long a new connection has for its TLS handshake and its
 *     whole HTTP upgrade request before it is closed, however steadily it sends
 */
public record FrontSettings(TlsSettings tls, boolean forwardedHeaders, Duration handshakeTimeout) {

    public static final Setting<Boolean> FORWARDED_HEADERS = Setting.bool(
            "sluice.ws.forwarded-headers",
            false,
            "take the client IP from Forwarded / X-Forwarded-For (only behind a proxy you trust)");
    public static final Setting<Duration> HANDSHAKE_TIMEOUT = Setting.duration(
            "sluice.ws.handshake-timeout",
            "10s",
            "how long a new connection has for its TLS handshake and whole HTTP upgrade request, however steadily"
                    + " it sends (bounds slowloris)");

    /** Plain {@code ws://}, the socket's own address. */
    public static final FrontSettings PLAIN =
            new FrontSettings(TlsSettings.OFF, false, HANDSHAKE_TIMEOUT.get(Settings.of(java.util.Map.of())));

    /** The settings of this record, TLS's apart. */
    public static final List<Setting<?>> SETTINGS = List.of(FORWARDED_HEADERS, HANDSHAKE_TIMEOUT);

    /** Reads the settings. */
    public static FrontSettings from(Settings settings) {
        return new FrontSettings(
                TlsSettings.from(settings), FORWARDED_HEADERS.get(settings), HANDSHAKE_TIMEOUT.get(settings));
    }
}
