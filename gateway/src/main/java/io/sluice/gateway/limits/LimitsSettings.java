package io.sluice.gateway.limits;

import io.sluice.spi.Rate;
import io.sluice.spi.Setting;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.time.Duration;
import java.util.List;

/**
 * The limits' settings, read and checked at start-up. A rate is {@code N/period} or {@code off}; a count or size
 * of 0 ({@code off} for sizes) disables its limit.
 *
 * @param connectionsPerIp sluice.limits.connections-per-ip: open connections per client IP
 * @param requests sluice.limits.requests: requests per connection (acks of inbound messages are free)
 * @param preKeyRequests sluice.limits.prekey-requests: {@code requestPreKeys} per requested user, all connections
 *     together; its burst is at most the prekey low threshold
 * @param failedLogins sluice.limits.failed-logins: failed logins per client IP
 * @param failedLoginsPerUser sluice.limits.failed-logins-per-user: failed logins per claimed UserID from one IP
 * @param queueMessages sluice.limits.queue-messages: messages waiting per recipient Address
 * @param queueBytes sluice.limits.queue-bytes: bytes waiting per recipient Address
 * @param store sluice.limits.store: the {@link io.sluice.spi.RateLimiters} type that keeps the buckets of the
 *     prekey and failed-login limits
 */
public record LimitsSettings(
        int connectionsPerIp,
        Rate requests,
        Rate preKeyRequests,
        Rate failedLogins,
        Rate failedLoginsPerUser,
        long queueMessages,
        long queueBytes,
        String store) {

    /** Every limit off: for embedding and unit tests. */
    public static final LimitsSettings NONE =
            new LimitsSettings(0, Rate.OFF, Rate.OFF, Rate.OFF, Rate.OFF, 0, 0, LocalRateLimitersProvider.TYPE);

    public static final Setting<Integer> CONNECTIONS_PER_IP = Setting.integer(
            Limit.CONNECTIONS_PER_IP.setting(),
            1000,
            0,
            10_000_000,
            "open connections per client IP; over it, the new connection is closed with 1013");
    public static final Setting<Rate> REQUESTS = Setting.rate(
            Limit.REQUESTS.setting(), "1000/1s", "requests per connection (acks of inbound messages are free)");
    public static final Setting<Rate> PREKEY_REQUESTS = Setting.rate(
                    Limit.PREKEY_REQUESTS.setting(),
                    "10/1m",
                    "requestPreKeys per requested user, from all connections; a burst of at most"
                            + " sluice.prekeys.low-threshold")
            .defaultFrom("low threshold per minute (10/1m)");
    public static final Setting<Rate> FAILED_LOGINS =
            Setting.rate(Limit.FAILED_LOGINS.setting(), "100/1m", "failed logins per client IP");
    public static final Setting<Rate> FAILED_LOGINS_PER_USER = Setting.rate(
            Limit.FAILED_LOGINS_PER_USER.setting(), "10/1m", "failed logins per claimed UserID from one client IP");
    public static final Setting<Integer> QUEUE_MESSAGES = Setting.integer(
            Limit.QUEUE_MESSAGES.setting(), 10_000, 0, Integer.MAX_VALUE, "messages waiting per recipient Address");
    public static final Setting<Long> QUEUE_BYTES = Setting.of(
            Limit.QUEUE_BYTES.setting(),
            (key, text) -> text.equalsIgnoreCase("off") || text.equals("0")
                    ? 0L
                    : Settings.Units.bytes(key, text, Long.MAX_VALUE / 2),
            "100MiB",
            "bytes waiting per recipient Address");
    public static final Setting<String> STORE = Setting.string(
            "sluice.limits.store",
            LocalRateLimitersProvider.TYPE,
            "where the prekey and failed-login buckets live: local (this process) or a shared store such as redis");

    /** The settings of this record. */
    public static final List<Setting<?>> SETTINGS = List.of(
            CONNECTIONS_PER_IP,
            REQUESTS,
            PREKEY_REQUESTS,
            FAILED_LOGINS,
            FAILED_LOGINS_PER_USER,
            QUEUE_MESSAGES,
            QUEUE_BYTES,
            STORE);

    /**
     * Reads the limits, with their defaults.
     *
     * @param lowThreshold the prekey low threshold ({@code sluice.prekeys.low-threshold}): the largest burst of
     *     prekey requests, and the default one
     * @throws SettingException naming the first setting that is not usable
     */
    public static LimitsSettings from(Settings settings, int lowThreshold) {
        return new LimitsSettings(
                CONNECTIONS_PER_IP.get(settings),
                REQUESTS.get(settings),
                preKeyRequests(settings, lowThreshold),
                FAILED_LOGINS.get(settings),
                FAILED_LOGINS_PER_USER.get(settings),
                QUEUE_MESSAGES.get(settings),
                QUEUE_BYTES.get(settings),
                STORE.get(settings));
    }

    /**
     * A device learns that its stock of one-time prekeys runs low (PreKeysLow) once it has fewer than the low
     * threshold. A burst of requests larger than that threshold could take a whole stock at once, before its owner
     * hears of it; so the burst is at most the threshold (at least 1), and so is the default: threshold per minute.
     */
    private static Rate preKeyRequests(Settings settings, int lowThreshold) {
        int maxBurst = Math.max(1, lowThreshold);
        if (settings.get(PREKEY_REQUESTS.key()).isEmpty()) {
            return new Rate(maxBurst, Duration.ofMinutes(1));
        }
        Rate rate = PREKEY_REQUESTS.get(settings);
        if (!rate.isOff() && rate.count() > maxBurst) {
            throw new SettingException(
                    PREKEY_REQUESTS.key(),
                    settings.get(PREKEY_REQUESTS.key()).orElseThrow().trim(),
                    "a burst of at most sluice.prekeys.low-threshold (" + maxBurst + "), such as " + maxBurst
                            + "/1m, so that one burst cannot empty a device's one-time prekeys; or off");
        }
        return rate;
    }
}
