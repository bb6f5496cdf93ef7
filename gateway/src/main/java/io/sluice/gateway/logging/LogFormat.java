package io.sluice.gateway.logging;

import io.sluice.spi.SettingException;
import java.util.Locale;

/** The shape of each log line: {@code sluice.log.format}. */
public enum LogFormat {
    /** Strict logfmt: {@code ts=2026-01-02T03:04:05.678Z level=INFO logger=Gateway event=started …} */
    TEXT,
    /** One JSON object per line. */
    JSON;

    /** The format a setting names. */
    public static LogFormat of(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "text", "key-value", "kv" -> TEXT;
            case "json" -> JSON;
            default -> throw new SettingException(key, value, "text or json");
        };
    }
}
