package io.sluice.gateway.limits;

import io.sluice.spi.Rate;
import io.sluice.spi.Setting;
import io.sluice.spi.Settings;
import java.util.List;

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

    public static final Setting<Integer> CONNECTIONS_PER_IP = Setting.integer(
            Limit.CONNECTIONS_PER_IP.setting(),
            1000,
            0,
            10_000_000,
            "open connections per client IP; over it, the new connection is closed with 1013");
    public static final Setting<Rate> REQUESTS = Setting.rate(
            Limit.REQUESTS.setting(), "1000/1s", "requests per connection (acks of inbound messages are free)");
    public static final Setting<Rate> PREKEY_REQUESTS = Setting.rate(
            Limit.PREKEY_REQUESTS.setting(), "60/1m", "requestPreKeys per requested user, from all connections");
    public static final Setting<Rate> FAILED_LOGINS =
            Setting.rate(Limit.FAILED_LOGINS.setting(), "10/1m", "failed logins per client IP");
    public static final Setting<Integer> QUEUE_MESSAGES = Setting.integer(
            Limit.QUEUE_MESSAGES.setting(), 10_000, 0, Integer.MAX_VALUE, "messages waiting per recipient Address");
    public static final Setting<Long> QUEUE_BYTES = Setting.of(
            Limit.QUEUE_BYTES.setting(),
            (key, text) -> text.equalsIgnoreCase("off") || text.equals("0")
                    ? 0L
                    : Settings.Units.bytes(key, text, Long.MAX_VALUE / 2),
            "100MiB",
            "bytes waiting per recipient Address");

    /** The settings of this record. */
    public static final List<Setting<?>> SETTINGS =
            List.of(CONNECTIONS_PER_IP, REQUESTS, PREKEY_REQUESTS, FAILED_LOGINS, QUEUE_MESSAGES, QUEUE_BYTES);

    /** Reads the limits, with their defaults. */
    public static LimitsSettings from(Settings settings) {
        return new LimitsSettings(
                CONNECTIONS_PER_IP.get(settings),
                REQUESTS.get(settings),
                PREKEY_REQUESTS.get(settings),
                FAILED_LOGINS.get(settings),
                QUEUE_MESSAGES.get(settings),
                QUEUE_BYTES.get(settings));
    }
}
