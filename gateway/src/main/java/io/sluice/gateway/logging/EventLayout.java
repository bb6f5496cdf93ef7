package io.sluice.gateway.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One line per log event, as {@code key=value} pairs or as a JSON object ({@code sluice.log.format}). Sluice writes
 * every message as {@code event=… conn=… key=value}; in JSON each pair becomes a field (whole numbers as numbers).
 * A message that is not in that shape (from Jetty or Camel) is kept whole as {@code msg}. An exception is one
 * {@code error} field, and in JSON its stack trace an escaped {@code stack} field: never a second line.
 *
 * <pre>{@code
 * 2026-01-02T03:04:05.678Z level=INFO logger=Connection event=login conn=1f address=BQ…:1
 * {"ts":"2026-01-02T03:04:05.678Z","level":"INFO","logger":"Connection","event":"login","conn":"1f","address":"BQ…:1"}
 * }</pre>
 */
public final class EventLayout extends LayoutBase<ILoggingEvent> {
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");

    private volatile LogFormat format = LogFormat.TEXT;

    /** The output format. */
    public LogFormat getFormat() {
        return format;
    }

    /** Sets the output format; also settable in logback.xml as {@code <format>json</format>}. */
    public void setFormat(LogFormat format) {
        this.format = format;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        String time = Instant.ofEpochMilli(event.getTimeStamp())
                .truncatedTo(ChronoUnit.MILLIS)
                .toString();
        String logger = event.getLoggerName().substring(event.getLoggerName().lastIndexOf('.') + 1);
        Map<String, String> pairs = pairs(event.getFormattedMessage());
        Map<String, String> mdc = event.getMDCPropertyMap();
        IThrowableProxy thrown = event.getThrowableProxy();
        StringBuilder line = new StringBuilder(256);
        if (format == LogFormat.JSON) {
            line.append("{\"ts\":\"")
                    .append(time)
                    .append("\",\"level\":\"")
                    .append(event.getLevel())
                    .append("\",\"logger\":");
            json(line, logger);
            if (pairs == null) {
                line.append(",\"msg\":");
                json(line, event.getFormattedMessage());
            } else {
                pairs.forEach((k, v) -> field(line, k, v));
            }
            if (mdc != null) {
                mdc.forEach((k, v) -> field(line, k, v));
            }
            if (thrown != null) {
                line.append(",\"error\":");
                json(line, describe(thrown));
                line.append(",\"stack\":");
                json(line, stack(thrown));
            }
            line.append('}');
        } else {
            line.append(time)
                    .append(" level=")
                    .append(event.getLevel())
                    .append(" logger=")
                    .append(logger)
                    .append(' ')
                    .append(oneLine(event.getFormattedMessage()));
            if (mdc != null) {
                mdc.forEach((k, v) -> line.append(' ').append(k).append('=').append(quoted(v)));
            }
            if (thrown != null) {
                line.append(" error=").append(quoted(describe(thrown)));
            }
        }
        return line.append(CoreConstants.LINE_SEPARATOR).toString();
    }

    /** The message's {@code key=value} pairs in order, or null when it is not made of them. */
    static Map<String, String> pairs(String message) {
        if (message == null || message.isEmpty()) {
            return null;
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        int i = 0;
        int n = message.length();
        while (i < n) {
            while (i < n && message.charAt(i) == ' ') {
                i++;
            }
            if (i == n) {
                break;
            }
            int eq = message.indexOf('=', i);
            if (eq < 0 || !KEY.matcher(message.substring(i, eq)).matches()) {
                return null;
            }
            String key = message.substring(i, eq);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < n && message.charAt(i) == '"') {
                // Values are quoted but not escaped ("the backend failed: "x""): the closing quote is the one
                // that ends the message or is followed by the next key=.
                int close = closingQuote(message, i + 1);
                if (close < 0) {
                    return null;
                }
                value.append(message, i + 1, close);
                i = close + 1;
            } else {
                while (i < n && message.charAt(i) != ' ') {
                    value.append(message.charAt(i++));
                }
            }
            pairs.put(key, value.toString());
        }
        return pairs.isEmpty() ? null : pairs;
    }

    private static int closingQuote(String message, int from) {
        for (int j = message.indexOf('"', from); j >= 0; j = message.indexOf('"', j + 1)) {
            if (j + 1 == message.length()) {
                return j;
            }
            if (message.charAt(j + 1) == ' ') {
                int eq = message.indexOf('=', j + 2);
                int space = message.indexOf(' ', j + 2);
                if (eq > 0
                        && (space < 0 || eq < space)
                        && KEY.matcher(message.substring(j + 2, eq)).matches()) {
                    return j;
                }
            }
        }
        return -1;
    }

    private static void field(StringBuilder line, String key, String value) {
        line.append(',');
        json(line, key);
        line.append(':');
        if (WHOLE_NUMBER.matcher(value).matches()) {
            line.append(value);
        } else {
            json(line, value);
        }
    }

    private static void json(StringBuilder line, String text) {
        line.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20) {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }

    private static String oneLine(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static String quoted(String value) {
        String clean = oneLine(value.replace("\\", "\\\\").replace("\"", "\\\""));
        return !clean.isEmpty() && clean.indexOf(' ') < 0 && clean.indexOf('"') < 0 ? clean : '"' + clean + '"';
    }

    private static String describe(IThrowableProxy thrown) {
        String message = thrown.getMessage();
        String simple = thrown.getClassName().substring(thrown.getClassName().lastIndexOf('.') + 1);
        String self = message == null ? simple : simple + ": " + message;
        IThrowableProxy cause = thrown.getCause();
        return cause == null || cause == thrown ? self : self + " <- " + describe(cause);
    }

    private static String stack(IThrowableProxy thrown) {
        StringBuilder stack = new StringBuilder();
        for (IThrowableProxy t = thrown; t != null; t = t.getCause()) {
            if (t != thrown) {
                stack.append("caused by: ");
            }
            stack.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
            for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                stack.append("\tat ").append(frame.getStackTraceElement()).append('\n');
            }
        }
        return stack.toString();
    }
}
