package io.sluice.gateway.logging;

import io.sluice.spi.Setting;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The log settings, read and checked at start-up; {@link Logging#configure} applies them.
 *
 * @param format      sluice.log.format: {@code text} or {@code json}
 * @param level       sluice.log.level: the root level, or null to keep logback's
 * @param connections sluice.log.connections: the level of the per-connection events, or null to keep logback's
 * @param libraries   sluice.log.libraries: the level of the backend clients' loggers (Kafka, Lettuce, Netty), or
 *                    null to keep logback's
 */
public record LogSettings(LogFormat format, String level, String connections, String libraries) {
    /** The loggers of the backend clients, which log every configuration and reconnect at INFO. */
    public static final List<String> LIBRARY_LOGGERS = List.of("org.apache.kafka", "io.lettuce", "io.netty");

    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    public static final Setting<LogFormat> FORMAT =
            Setting.of("sluice.log.format", LogFormat::of, "text", "text or json");
    public static final Setting<String> LEVEL =
            Setting.of("sluice.log.level", LogSettings::level, "info", "the root level");
    public static final Setting<String> CONNECTIONS = Setting.of(
            "sluice.log.connections",
            LogSettings::level,
            "warn",
            "per-connection events with their conn id: logins at info, closes and refusals at debug");
    public static final Setting<String> LIBRARIES = Setting.of(
            "sluice.log.libraries",
            LogSettings::level,
            "warn",
            "the backend clients' loggers (Kafka, Lettuce, Netty), which log each configuration and reconnect at info");

    /** The settings of this record. */
    public static final List<Setting<?>> SETTINGS = List.of(FORMAT, LEVEL, CONNECTIONS, LIBRARIES);

    /**
     * Reads the log settings; a level not given stays as logback's configuration has it.
     *
     * @throws SettingException naming a setting that is not usable
     */
    public static LogSettings from(Settings settings) {
        return new LogSettings(
                FORMAT.get(settings),
                LEVEL.find(settings).orElse(null),
                CONNECTIONS.find(settings).orElse(null),
                LIBRARIES.find(settings).orElse(null));
    }

    private static String level(String key, String text) {
        String level = text.toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new SettingException(key, text, "one of trace, debug, info, warn, error");
        }
        return level;
    }
}
