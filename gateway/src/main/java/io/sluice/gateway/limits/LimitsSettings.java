package io.sluice.gateway.limits;

import io.sluice.spi.Rate;
import io.sluice.spi.Settings;
import java.time.Duration;

/**
 * The limits' settings, read and checked at start-up. A rate is {@code N/period} or {@code off}; a count or size
 * of 0 ({@code off} for sizes) disables its limit.
 *
 * @param connectionsPerIp sluice.limits.connections-per-ip: open connections per client IP
 * @param requests         sluice.limits.requests: requests per connection (acks of inbound messages are free)
 * @param preKeyRequests   sluice.limits.prekey-requests: {@code requestPreKeys} per requested user, all
 *                         connections together
 * @param failedLogins     sluice.limits.failed-logins: failed logins per client IP
 * @param queueMessages    sluice.limits.queue-messages: messages waiting per recipient Address
 * @param queueBytes       sluice.limits.queue-bytes: bytes waiting per recipient Address
 */
public record LimitsSettings(
        int connectionsPerIp,
        Rate requests,
        Rate preKeyRequests,
        Rate failedLogins,
        long queueMessages,
        long queueBytes) {

    /** Every limit off: for embedding and unit tests. */
    public static final LimitsSettings NONE = new LimitsSettings(0, Rate.OFF, Rate.OFF, Rate.OFF, 0, 0);

    /** Reads the limits, with their defaults. */
    public static LimitsSettings from(Settings settings) {
        return new LimitsSettings(
                settings.integer(Limit.CONNECTIONS_PER_IP.setting(), 1000, 0, 10_000_000),
                Rate.setting(settings, Limit.REQUESTS.setting(), new Rate(1000, Duration.ofSeconds(1))),
                Rate.setting(settings, Limit.PREKEY_REQUESTS.setting(), new Rate(60, Duration.ofMinutes(1))),
                Rate.setting(settings, Limit.FAILED_LOGINS.setting(), new Rate(10, Duration.ofMinutes(1))),
                settings.integer(Limit.QUEUE_MESSAGES.setting(), 10_000, 0, Integer.MAX_VALUE),
                settings.get(Limit.QUEUE_BYTES.setting())
                                .map(String::trim)
                                .filter(v -> v.equalsIgnoreCase("off") || v.equals("0"))
                                .isPresent()
                        ? 0
                        : settings.bytes(Limit.QUEUE_BYTES.setting(), 100L * 1024 * 1024, Long.MAX_VALUE / 2));
    }
}
