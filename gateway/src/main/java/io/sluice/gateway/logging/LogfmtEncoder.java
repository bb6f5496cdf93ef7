package io.sluice.gateway.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Strict logfmt, one line per event: {@code ts}, {@code level} and {@code logger} first, then the event's SLF4J
 * key-value pairs, the message as {@code msg} when there is one, the MDC, and an exception as {@code error} (its
 * chain of causes) and {@code stack}. Values are bare when they can be, else double-quoted with {@code \"},
 * {@code \\}, {@code \n}, {@code \r}, {@code \t} and {@code \}{@code uXXXX} escapes, so that a multi-line message or
 * stack trace from any library stays on its line. The structure comes from the event, never from its message text.
 *
 * <pre>{@code
 * ts=2026-01-02T03:04:05.678Z level=INFO logger=Gateway event=started url=ws://0.0.0.0:8080/api
 * ts=2026-01-02T03:04:06.001Z level=WARN logger=NetworkClient msg="[Producer clientId=producer-1] Connection …"
 * }</pre>
 */
public final class LogfmtEncoder extends EncoderBase<ILoggingEvent> {
    private static final byte[] NOTHING = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return format(event).getBytes(StandardCharsets.UTF_8);
    }

    /** The event's line, with its line separator. */
    static String format(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(256);
        line.append("ts=")
                .append(Instant.ofEpochMilli(event.getTimeStamp()).truncatedTo(ChronoUnit.MILLIS))
                .append(" level=")
                .append(event.getLevel());
        pair(line, "logger", LogEvents.simpleName(event.getLoggerName()));
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair kv : pairs) {
                if (kv.key != null && kv.value != null) {
                    pair(line, kv.key, String.valueOf(kv.value));
                }
            }
        }
        String message = event.getFormattedMessage();
        if (message != null && !message.isEmpty()) {
            pair(line, "msg", message);
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            mdc.forEach((k, v) -> pair(line, k, v));
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            pair(line, "error", LogEvents.describe(thrown));
            pair(line, "stack", LogEvents.stack(thrown));
        }
        return line.append(CoreConstants.LINE_SEPARATOR).toString();
    }

    private static void pair(StringBuilder line, String key, String value) {
        line.append(' ');
        key(line, key);
        line.append('=');
        value(line, Redaction.mask(value));
    }

    /** A key as logfmt allows it: letters, digits, {@code _ . -}; anything else becomes {@code _}. */
    private static void key(StringBuilder line, String key) {
        if (key.isEmpty()) {
            line.append('_');
            return;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || c == '_'
                    || (i > 0 && ((c >= '0' && c <= '9') || c == '.' || c == '-'));
            line.append(ok ? c : '_');
        }
    }

    private static void value(StringBuilder line, String value) {
        if (isBare(value)) {
            line.append(value);
            return;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }

    private static boolean isBare(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
