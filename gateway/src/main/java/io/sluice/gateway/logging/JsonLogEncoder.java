package io.sluice.gateway.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Context;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import net.logstash.logback.composite.AbstractFieldJsonProvider;
import net.logstash.logback.composite.loggingevent.KeyValuePairsJsonProvider;
import net.logstash.logback.composite.loggingevent.LogLevelJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggerNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventFormattedTimestampJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventJsonProviders;
import net.logstash.logback.composite.loggingevent.MdcJsonProvider;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;

/**
 * One JSON object per line, written by logstash-logback-encoder: {@code ts}, {@code level}, {@code logger}, the
 * event's SLF4J key-value pairs as fields (numbers stay numbers), {@code msg} when there is a message, the MDC, and
 * an exception as {@code error} (its chain of causes) and {@code stack}. Every string value goes through
 * {@link Redaction}'s mask.
 *
 * <pre>{@code
 * {"ts":"2026-01-02T03:04:05.678Z","level":"WARN","logger":"Connection","event":"request.failed","conn":"1f","seq":42}
 * }</pre>
 */
public final class JsonLogEncoder {
    private JsonLogEncoder() {}

    /** A started encoder. */
    public static LoggingEventCompositeJsonEncoder create(Context context) {
        LoggingEventJsonProviders providers = new LoggingEventJsonProviders();
        LoggingEventFormattedTimestampJsonProvider ts = new LoggingEventFormattedTimestampJsonProvider();
        ts.setFieldName("ts");
        ts.setPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
        ts.setTimeZone("UTC");
        providers.addTimestamp(ts);
        LogLevelJsonProvider level = new LogLevelJsonProvider();
        level.setFieldName("level");
        providers.addLogLevel(level);
        LoggerNameJsonProvider logger = new LoggerNameJsonProvider();
        logger.setFieldName("logger");
        logger.setShortenedLoggerNameLength(0);
        providers.addLoggerName(logger);
        providers.addKeyValuePairs(new KeyValuePairsJsonProvider());
        MessageJsonProvider message = new MessageJsonProvider();
        message.setFieldName("msg");
        providers.addMessage(message);
        providers.addMdc(new MdcJsonProvider());
        providers.addProvider(new ThrowableJsonProvider());

        MaskingJsonGeneratorDecorator masking = new MaskingJsonGeneratorDecorator();
        masking.setDefaultMask(Redaction.MASK);
        masking.addValue(Redaction.USER_ID_REGEX);
        masking.start();

        LoggingEventCompositeJsonEncoder encoder = new LoggingEventCompositeJsonEncoder();
        encoder.setContext(context);
        encoder.setProviders(providers);
        encoder.setJsonGeneratorDecorator(masking);
        encoder.start();
        return encoder;
    }

    /** {@code error} and {@code stack} of an event's exception, the same text as in logfmt. */
    static final class ThrowableJsonProvider extends AbstractFieldJsonProvider<ILoggingEvent> {
        @Override
        public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                generator.writeStringField("error", LogEvents.describe(thrown));
                generator.writeStringField("stack", LogEvents.stack(thrown));
            }
        }
    }
}
