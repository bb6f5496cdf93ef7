package io.sluice.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.util.Iterator;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;
import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Applies the log settings, which are read after logback has started: {@code sluice.log.format} ({@code text} or
 * {@code json}), {@code sluice.log.level} (everything) and {@code sluice.log.connections} (the per-connection
 * events: logins at info, closes at debug; warn by default, since at info they are a line per client).
 */
public final class Logging {
    private Logging() {}

    /**
     * Sets the format of the console appenders ({@link LogfmtEncoder} or {@link JsonLogEncoder}) and the levels, and
     * routes java.util.logging (used by the PostgreSQL driver, Paho and others) through the same appenders.
     *
     * @throws SettingException naming a setting that is not usable
     */
    public static void configure(Settings settings) {
        LogSettings log = LogSettings.from(settings);
        LogFormat format = log.format();
        String level = log.level();
        String connections = log.connections();
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
        if (log.libraries() != null) {
            for (String library : LogSettings.LIBRARY_LOGGERS) {
                context.getLogger(library).setLevel(Level.toLevel(log.libraries()));
            }
        }
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out
                    && (out.getEncoder() instanceof LogfmtEncoder
                            || out.getEncoder() instanceof LoggingEventCompositeJsonEncoder)) {
                Encoder<ILoggingEvent> encoder =
                        format == LogFormat.JSON ? JsonLogEncoder.create(context) : text(context);
                Encoder<ILoggingEvent> previous = out.getEncoder();
                out.setEncoder(encoder);
                previous.stop();
            }
        }
    }

    private static LogfmtEncoder text(LoggerContext context) {
        LogfmtEncoder encoder = new LogfmtEncoder();
        encoder.setContext(context);
        encoder.start();
        return encoder;
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
                        // The level of the handler's logger: without redeliveries Camel logs exhaustion there,
                        // at ERROR by default, whatever retriesExhaustedLogLevel says.
                        .loggingLevel(LoggingLevel.DEBUG)
                        .retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                        .logStackTrace(false)
                        .logExhaustedMessageHistory(false));
    }
}
