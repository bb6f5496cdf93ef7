package io.sluice.gateway.server;

import io.sluice.gateway.tls.TlsConfig;
import io.sluice.spi.Settings;
import java.time.Duration;

/**
 * How the client port faces the network, beside what {@link io.sluice.gateway.GatewayConfig} holds.
 *
 * @param tls              sluice.tls.*: {@code wss://} when on
 * @param forwardedHeaders sluice.ws.forwarded-headers: take the client's IP from {@code Forwarded} /
 *                         {@code X-Forwarded-For} (behind a trusted proxy or load balancer only: anyone else can
 *                         write them), so that the per-IP limits count clients rather than the proxy
 * @param handshakeTimeout sluice.ws.handshake-timeout: how long a new connection has for its TLS handshake and its
 *                         whole HTTP upgrade request before it is closed, however steadily it sends
 */
public record FrontConfig(TlsConfig tls, boolean forwardedHeaders, Duration handshakeTimeout) {
    /** The default of {@code sluice.ws.handshake-timeout}. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** Plain {@code ws://}, the socket's own address. */
    public static final FrontConfig PLAIN = new FrontConfig(TlsConfig.OFF, false, DEFAULT_HANDSHAKE_TIMEOUT);

    /** Reads the settings. */
    public static FrontConfig from(Settings settings) {
        return new FrontConfig(
                TlsConfig.from(settings),
                settings.bool("sluice.ws.forwarded-headers", false),
                settings.duration("sluice.ws.handshake-timeout", DEFAULT_HANDSHAKE_TIMEOUT));
    }
}
