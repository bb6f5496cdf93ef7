package io.sluice.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One setting, declared once: its key, how its text becomes a value, its default (as a user would write it) and
 * what it means. A module declares its settings as constants of its settings record, reads them from there
 * ({@link #get(Settings)}), and lists them in its {@link SettingDefinitions}, which is how the gateway knows
 * every key: to refuse unknown ones, to map environment variables, to print them ({@code sluice settings}) and
 * to check the README's tables.
 *
 * <pre>{@code
 * public record RedisSettings(URI uri, boolean cluster) {
 *     public static final Setting<URI> URI = Setting.of("sluice.redis.uri", (key, v) -> java.net.URI.create(v),
 *             "redis://127.0.0.1:6379", "the Redis server").secret();
 *     public static final Setting<Boolean> CLUSTER = Setting.bool("sluice.redis.cluster", false, "a Redis Cluster");
 *
 *     public static RedisSettings from(Settings settings) {
 *         return new RedisSettings(URI.get(settings), CLUSTER.get(settings));
 *     }
 * }
 * }</pre>
 *
 * <p>A <em>pass-through</em> setting ({@link #passThrough}) declares a whole prefix, such as
 * {@code sluice.kafka.producer.}, whose keys go to a client library as they are.
 *
 * @param <T> the type of its value
 */
public final class Setting<T> {

    /**
     * Turns the text of a setting into its value.
     *
     * @param <T> the value's type
     */
    @FunctionalInterface
    public interface Parser<T> {
        /**
         * The value of {@code text}, already trimmed.
         *
         * @throws SettingException naming {@code key} when the text is not a usable value
         */
        T parse(String key, String text);
    }

    private final String key;
    private final Parser<T> parser;
    private final String defaultText;
    private final String derivedDefault;
    private final String description;
    private final boolean secret;
    private final boolean passThrough;

    private Setting(
            String key,
            Parser<T> parser,
            String defaultText,
            String derivedDefault,
            String description,
            boolean secret,
            boolean passThrough) {
        if (!key.startsWith("sluice.") || key.length() <= "sluice.".length()) {
            throw new IllegalArgumentException("a setting's key starts with sluice.: " + key);
        }
        if (passThrough != key.endsWith(".")) {
            throw new IllegalArgumentException("a pass-through prefix, and only one, ends with a dot: " + key);
        }
        this.key = key;
        this.parser = Objects.requireNonNull(parser, "parser");
        this.defaultText = defaultText;
        this.derivedDefault = derivedDefault;
        this.description = Objects.requireNonNull(description, "description");
        this.secret = secret;
        this.passThrough = passThrough;
        if (defaultText != null) {
            // A default that does not parse is a bug of the declaration: fail when the class loads.
            parser.parse(key, defaultText);
        }
    }

    /**
     * A setting of any type.
     *
     * @param defaultText the default as a user would write it, or null when there is none
     */
    public static <T> Setting<T> of(String key, Parser<T> parser, String defaultText, String description) {
        return new Setting<>(key, parser, defaultText, null, description, false, false);
    }

    /** A text, trimmed; an empty one counts as given and empty. */
    public static Setting<String> string(String key, String defaultValue, String description) {
        return of(key, (k, v) -> v, defaultValue, description);
    }

    /** An integer from {@code min} to {@code max}; {@code _} may group digits. */
    public static Setting<Integer> integer(String key, int defaultValue, int min, int max, String description) {
        return of(key, (k, v) -> integer(k, v, min, max), Integer.toString(defaultValue), description);
    }

    /** {@code true} or {@code false}. */
    public static Setting<Boolean> bool(String key, boolean defaultValue, String description) {
        return of(
                key,
                (k, v) -> switch (v.toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new SettingException(k, v, "true or false");
                },
                Boolean.toString(defaultValue),
                description);
    }

    /** A positive duration such as {@code 300ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}; a bare number is ms. */
    public static Setting<Duration> duration(String key, String defaultValue, String description) {
        return of(key, Settings.Units::duration, defaultValue, description);
    }

    /** A size in bytes from 1 to {@code max}: {@code 512}, {@code 64KiB}, {@code 1MiB}. */
    public static Setting<Long> bytes(String key, String defaultValue, long max, String description) {
        return of(key, (k, v) -> Settings.Units.bytes(k, v, max), defaultValue, description);
    }

    /** A file system path, not empty. */
    public static Setting<Path> path(String key, String defaultValue, String description) {
        return of(
                key,
                (k, v) -> {
                    if (v.isEmpty()) {
                        throw new SettingException(k, v, "a path");
                    }
                    return Path.of(v);
                },
                defaultValue,
                description);
    }

    /** A comma-separated list, each entry trimmed, empty entries dropped. */
    public static Setting<List<String>> list(String key, String defaultValue, String description) {
        return of(
                key,
                (k, v) -> Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList(),
                defaultValue,
                description);
    }

    /** A {@link Rate}, {@code 100/1s}, or {@code off}. */
    public static Setting<Rate> rate(String key, String defaultValue, String description) {
        return of(key, Rate::parse, defaultValue, description);
    }

    /**
     * Every key under {@code prefix} (which ends with a dot), passed on as it is: for a client library's own
     * properties, such as {@code sluice.kafka.producer.} → the Kafka producer. {@link #values(Settings)} reads them.
     */
    public static Setting<Map<String, String>> passThrough(String prefix, String description) {
        return new Setting<>(prefix, (k, v) -> Map.of(), null, null, description, false, true);
    }

    /**
     * This setting with its value kept out of sight: {@code sluice settings} and logs mask it. Passwords, tokens,
     * URIs that may carry credentials.
     */
    public Setting<T> secret() {
        return new Setting<>(key, parser, defaultText, derivedDefault, description, true, passThrough);
    }

    /**
     * This setting without a fixed default: its record computes one from other settings when it is not given, as
     * {@code how} says ({@code "sluice.host"}, {@code "3 × sluice.ws.ping-interval"}).
     */
    public Setting<T> defaultFrom(String how) {
        return new Setting<>(key, parser, null, how, description, secret, passThrough);
    }

    /** The key, or for a pass-through setting its prefix, ending with a dot. */
    public String key() {
        return key;
    }

    /** What it means, one sentence for people. */
    public String description() {
        return description;
    }

    /** Whether its value is kept out of sight. */
    public boolean isSecret() {
        return secret;
    }

    /** Whether this declares a prefix of keys passed through as they are. */
    public boolean isPassThrough() {
        return passThrough;
    }

    /** The default as a user would write it, when there is a fixed one. */
    public Optional<String> defaultText() {
        return Optional.ofNullable(defaultText);
    }

    /** The default for people: the fixed one, how it is derived, or empty when there is none. */
    public String defaultDescription() {
        return defaultText != null ? defaultText : derivedDefault != null ? derivedDefault : "";
    }

    /** Whether {@code candidate} is this setting's key, or for a pass-through setting a key under its prefix. */
    public boolean covers(String candidate) {
        return passThrough ? candidate.startsWith(key) && candidate.length() > key.length() : candidate.equals(key);
    }

    /**
     * The value given for this setting, else its default, else null (a setting with no default, or one derived
     * from others: see {@link #find(Settings)}).
     *
     * @throws SettingException naming the key, when the given text is not a usable value
     */
    public T get(Settings settings) {
        return find(settings).orElseGet(() -> defaultText == null ? null : parser.parse(key, defaultText));
    }

    /**
     * The value given for this setting, if one was.
     *
     * @throws SettingException naming the key, when the given text is not a usable value
     */
    public Optional<T> find(Settings settings) {
        requireKey();
        return settings.get(key).map(v -> parser.parse(key, v.strip()));
    }

    /**
     * The keys given under a pass-through prefix, without the prefix, values trimmed, in key order.
     *
     * @throws IllegalStateException when this is not a pass-through setting
     */
    public Map<String, String> values(Settings settings) {
        if (!passThrough) {
            throw new IllegalStateException(key + " is a single setting: use get");
        }
        Map<String, String> result = new TreeMap<>();
        settings.withPrefix(key).forEach((k, v) -> {
            if (covers(k)) {
                result.put(k.substring(key.length()), v.strip());
            }
        });
        return result;
    }

    /**
     * Checks a text as a value of this setting.
     *
     * @throws SettingException naming the key when it is not usable
     */
    public T parse(String text) {
        requireKey();
        return parser.parse(key, text.strip());
    }

    private void requireKey() {
        if (passThrough) {
            throw new IllegalStateException(key + " is a pass-through prefix: use values");
        }
    }

    private static int integer(String key, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value.replace("_", ""));
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SettingException(key, value, "an integer from " + min + " to " + max);
    }

    @Override
    public String toString() {
        return passThrough ? key + "*" : key;
    }
}
