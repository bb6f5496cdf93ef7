package io.sluice.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sluice's settings, by their kebab-case keys ({@code sluice.data-dir}): where values come from. A module reads
 * its settings through the {@link Setting}s it declares ({@code PORT.get(settings)}), so that each key and its
 * default are written once; the typed accessors below take a default and throw a {@link SettingException} naming
 * the key when a value is given but unusable.
 *
 * <pre>{@code
 * Duration interval = settings.duration("sluice.prekeys.check-interval", Duration.ofMinutes(5));
 * }</pre>
 */
public interface Settings {

    /** The raw value of a key, if given anywhere. */
    Optional<String> get(String key);

    /** All keys given anywhere that start with {@code prefix}, with their raw values. */
    Map<String, String> withPrefix(String prefix);

    /** Settings from a map, for tests and embedding. */
    static Settings of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return new Settings() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(copy.get(key));
            }

            @Override
            public Map<String, String> withPrefix(String prefix) {
                return copy.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(prefix))
                        .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
            }
        };
    }

    /** A string value, trimmed. */
    default String string(String key, String defaultValue) {
        return get(key).map(String::trim).orElse(defaultValue);
    }

    /** A comma-separated list of values, each trimmed, empty entries dropped. */
    default List<String> list(String key, List<String> defaultValue) {
        return get(key).map(v -> Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .orElse(defaultValue);
    }

    /** An integer from {@code min} to {@code max}. */
    default int integer(String key, int defaultValue, int min, int max) {
        return get(key).map(String::trim)
                .map(v -> {
                    try {
                        int parsed = Integer.parseInt(v.replace("_", ""));
                        if (parsed >= min && parsed <= max) {
                            return parsed;
                        }
                    } catch (NumberFormatException e) {
                        // reported below
                    }
                    throw new SettingException(key, v, "an integer from " + min + " to " + max);
                })
                .orElse(defaultValue);
    }

    /** {@code true} or {@code false}. */
    default boolean bool(String key, boolean defaultValue) {
        return get(key).map(String::trim)
                .map(v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new SettingException(key, v, "true or false");
                })
                .orElse(defaultValue);
    }

    /** A path. */
    default Path path(String key, Path defaultValue) {
        return get(key).map(String::trim)
                .map(v -> {
                    if (v.isEmpty()) {
                        throw new SettingException(key, v, "a path");
                    }
                    return Path.of(v);
                })
                .orElse(defaultValue);
    }

    /** A positive duration such as {@code 300ms}, {@code 30s}, {@code 5m}, {@code 1h}; a bare number is ms. */
    default Duration duration(String key, Duration defaultValue) {
        return get(key).map(String::trim).map(v -> Units.duration(key, v)).orElse(defaultValue);
    }

    /** A positive size in bytes such as {@code 512}, {@code 64KiB}, {@code 1MiB} (KB and MB mean the same). */
    default long bytes(String key, long defaultValue, long max) {
        return get(key).map(String::trim).map(v -> Units.bytes(key, v, max)).orElse(defaultValue);
    }

    /** Parsing of units, apart so that one message shape serves every setting. */
    final class Units {
        private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
        private static final Pattern SIZE =
                Pattern.compile("(\\d+)\\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?", Pattern.CASE_INSENSITIVE);

        private Units() {}

        /** A positive duration, {@code 300ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}; a bare number is ms. */
        public static Duration duration(String key, String value) {
            Matcher m = DURATION.matcher(value);
            if (m.matches()) {
                try {
                    long amount = Long.parseLong(m.group(1));
                    String unit = m.group(2) == null ? "ms" : m.group(2);
                    Duration d = switch (unit) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofDays(amount);
                    };
                    if (!d.isZero()) {
                        return d;
                    }
                } catch (NumberFormatException | ArithmeticException e) {
                    // reported below
                }
            }
            throw new SettingException(key, value, "a positive duration such as 300ms, 30s, 5m or 1h");
        }

        /** A size from 1 to {@code max} bytes, {@code 512}, {@code 64KiB}, {@code 1MiB}. */
        public static long bytes(String key, String value, long max) {
            Matcher m = SIZE.matcher(value);
            if (m.matches()) {
                try {
                    long amount = Long.parseLong(m.group(1));
                    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(java.util.Locale.ROOT);
                    long factor = switch (unit.charAt(0)) {
                        case 'k' -> 1024L;
                        case 'm' -> 1024L * 1024;
                        case 'g' -> 1024L * 1024 * 1024;
                        default -> 1L;
                    };
                    long result = Math.multiplyExact(amount, factor);
                    if (result > 0 && result <= max) {
                        return result;
                    }
                } catch (NumberFormatException | ArithmeticException e) {
                    // reported below
                }
            }
            throw new SettingException(key, value, "a size from 1 to " + max + " bytes, such as 64KiB or 1MiB");
        }
    }
}
