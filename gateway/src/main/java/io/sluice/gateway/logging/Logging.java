package io.sluice.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.slf4j.LoggerFactory;

/**
 * Applies the log settings, which are read after logback has started: {@code sluice.log.format} ({@code text} or
 * {@code json}), {@code sluice.log.level} (everything) and {@code sluice.log.connections} (the per-connection
 * events: logins at info, closes at debug; warn by default, since at info they are a line per client).
 */
public final class Logging {
    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    private Logging() {}

    /**
     * Sets the format of every {@link EventLayout} and the root level.
     *
     * @throws SettingException naming a setting that is not usable
     */
    public static void configure(Settings settings) {
        LogFormat format = settings.get("sluice.log.format")
                .map(v -> LogFormat.of("sluice.log.format", v))
                .orElse(LogFormat.TEXT);
        String level = level(settings, "sluice.log.level");
        String connections = level(settings, "sluice.log.connections");
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (level != null) {
            root.setLevel(Level.toLevel(level));
        }
        if (connections != null) {
            context.getLogger("io.sluice.gateway.protocol.Connection").setLevel(Level.toLevel(connections));
            context.getLogger("io.sluice.gateway.server.JettyEndpoint").setLevel(Level.toLevel(connections));
        }
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out
                    && out.getEncoder() instanceof LayoutWrappingEncoder<ILoggingEvent> encoder
                    && encoder.getLayout() instanceof EventLayout layout) {
                layout.setFormat(format);
            }
        }
    }

    private static String level(Settings settings, String key) {
        String level =
                settings.get(key).map(v -> v.trim().toUpperCase(Locale.ROOT)).orElse(null);
        if (level != null && !LEVELS.contains(level)) {
            throw new SettingException(key, level.toLowerCase(Locale.ROOT), "one of trace, debug, info, warn, error");
        }
        return level;
    }

    /**
     * Stops Camel's default error handler from logging each failed exchange as a multi-line ERROR. A failed client
     * request is the client's answer (an {@code Error}); the gateway logs the ones an operator must see
     * ({@code unavailable}, {@code unknown_error}) once, in its own format, and counts all of them
     * ({@code sluice.responses}, {@code camel.exchanges.failed}). Route files may still declare their own
     * error handler.
     */
    public static void quietRouteFailures(CamelContext camel) {
        camel.getCamelContextExtension()
                .setErrorHandlerFactory(new DefaultErrorHandlerDefinition()
                        .retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                        .logStackTrace(false)
                        .logExhaustedMessageHistory(false));
    }
}
