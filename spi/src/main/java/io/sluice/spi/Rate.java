package io.sluice.spi;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * So many events per period, written {@code 100/1s} or {@code 20/1m}: a bucket of {@code count} tokens that
 * refills evenly over the period, so a burst of {@code count} passes and then {@code count} per period.
 * {@code off} disables the limit.
 *
 * @param count  the burst, and how many pass per period
 * @param period how long the bucket takes to refill from empty
 */
public record Rate(long count, Duration period) {
    /** No limit. */
    public static final Rate OFF = new Rate(0, Duration.ZERO);

    private static final Pattern TEXT = Pattern.compile("(\\d+)\\s*/\\s*(\\d+)\\s*(ms|s|m|h)");

    /** The rate of a setting, {@code off}, or the default when the setting is not given. */
    public static Rate setting(Settings settings, String key, Rate defaultValue) {
        return settings.get(key).map(String::trim).map(v -> parse(key, v)).orElse(defaultValue);
    }

    public static Rate parse(String key, String value) {
        if (value.equalsIgnoreCase("off")) {
            return OFF;
        }
        Matcher m = TEXT.matcher(value);
        if (m.matches()) {
            try {
                long count = Long.parseLong(m.group(1));
                long amount = Long.parseLong(m.group(2));
                Duration period = switch (m.group(3)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
                if (count > 0 && !period.isZero()) {
                    return new Rate(count, period);
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
        }
        throw new SettingException(key, value, "a rate such as 100/1s or 20/1m, or off");
    }

    /** Whether this is {@link #OFF}. */
    public boolean isOff() {
        return count == 0;
    }

    /** As written in settings: {@code 20/1m}. */
    @Override
    public String toString() {
        if (isOff()) {
            return "off";
        }
        long millis = period.toMillis();
        String unit = millis % 3_600_000 == 0
                ? millis / 3_600_000 + "h"
                : millis % 60_000 == 0
                        ? millis / 60_000 + "m"
                        : millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
        return count + "/" + unit;
    }
}
