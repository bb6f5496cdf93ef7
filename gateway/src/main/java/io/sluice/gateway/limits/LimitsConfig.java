package io.sluice.gateway.limits;

import io.sluice.spi.Rate;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.time.Duration;

/**
 * The limits' settings, read and checked at start-up. A rate is {@code N/period} or {@code off}; a count or size
 * of 0 ({@code off} for sizes) disables its limit.
 *
 * @param connectionsPerIp    sluice.limits.connections-per-ip: open connections per client IP
 * @param requests            sluice.limits.requests: requests per connection (acks of inbound messages are free)
 * @param preKeyRequests      sluice.limits.prekey-requests: {@code requestPreKeys} per requested user, all
 *                            connections together; its burst is at most the prekey low threshold
 * @param failedLogins        sluice.limits.failed-logins: failed logins per client IP
 * @param failedLoginsPerUser sluice.limits.failed-logins-per-user: failed logins per claimed UserID from one IP
 * @param queueMessages       sluice.limits.queue-messages: messages waiting per recipient Address
 * @param queueBytes          sluice.limits.queue-bytes: bytes waiting per recipient Address
 * @param store               sluice.limits.store: the {@link io.sluice.spi.RateLimiters} type that keeps the
 *                            buckets of the prekey and failed-login limits
 */
public record LimitsConfig(
        int connectionsPerIp,
        Rate requests,
        Rate preKeyRequests,
        Rate failedLogins,
        Rate failedLoginsPerUser,
        long queueMessages,
        long queueBytes,
        String store) {

    /** The setting that chooses the store. */
    public static final String STORE_SETTING = "sluice.limits.store";

    /** Every limit off: for embedding and unit tests. */
    public static final LimitsConfig NONE =
            new LimitsConfig(0, Rate.OFF, Rate.OFF, Rate.OFF, Rate.OFF, 0, 0, LocalRateLimitersProvider.TYPE);

    /**
     * Reads the limits, with their defaults.
     *
     * @param lowThreshold the prekey low threshold ({@code sluice.prekeys.low-threshold}): the largest burst of
     *                     prekey requests, and the default one
     * @throws SettingException naming the first setting that is not usable
     */
    public static LimitsConfig from(Settings settings, int lowThreshold) {
        return new LimitsConfig(
                settings.integer(Limit.CONNECTIONS_PER_IP.setting(), 1000, 0, 10_000_000),
                Rate.setting(settings, Limit.REQUESTS.setting(), new Rate(1000, Duration.ofSeconds(1))),
                preKeyRequests(settings, lowThreshold),
                Rate.setting(settings, Limit.FAILED_LOGINS.setting(), new Rate(100, Duration.ofMinutes(1))),
                Rate.setting(settings, Limit.FAILED_LOGINS_PER_USER.setting(), new Rate(10, Duration.ofMinutes(1))),
                settings.integer(Limit.QUEUE_MESSAGES.setting(), 10_000, 0, Integer.MAX_VALUE),
                settings.get(Limit.QUEUE_BYTES.setting())
                                .map(String::trim)
                                .filter(v -> v.equalsIgnoreCase("off") || v.equals("0"))
                                .isPresent()
                        ? 0
                        : settings.bytes(Limit.QUEUE_BYTES.setting(), 100L * 1024 * 1024, Long.MAX_VALUE / 2),
                settings.string(STORE_SETTING, LocalRateLimitersProvider.TYPE));
    }

    /**
     * A device learns that its stock of one-time prekeys runs low (PreKeysLow) once it has fewer than the low
     * threshold. A burst of requests larger than that threshold could take a whole stock at once, before its owner
     * hears of it; so the burst is at most the threshold (at least 1), and so is the default: threshold per minute.
     */
    private static Rate preKeyRequests(Settings settings, int lowThreshold) {
        int maxBurst = Math.max(1, lowThreshold);
        Rate rate = Rate.setting(settings, Limit.PREKEY_REQUESTS.setting(), new Rate(maxBurst, Duration.ofMinutes(1)));
        if (!rate.isOff() && rate.count() > maxBurst) {
            throw new SettingException(
                    Limit.PREKEY_REQUESTS.setting(),
                    settings.get(Limit.PREKEY_REQUESTS.setting()).orElseThrow().trim(),
                    "a burst of at most sluice.prekeys.low-threshold (" + maxBurst + "), such as " + maxBurst
                            + "/1m, so that one burst cannot empty a device's one-time prekeys; or off");
        }
        return rate;
    }
}
