package io.sluice.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.errorhandler.DefaultErrorHandler;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A route that fails a request leaves the logging to the gateway: Camel's error handler says it at DEBUG only. */
class QuietRouteFailuresTest {

    @Test
    void aFailedExchangeIsLoggedByCamelAtDebugNotError() throws Exception {
        Logger handlerLog = (Logger) LoggerFactory.getLogger(DefaultErrorHandler.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Level before = handlerLog.getLevel();
        handlerLog.setLevel(Level.DEBUG);
        handlerLog.addAppender(events);
        try (CamelContext camel = new DefaultCamelContext()) {
            Logging.quietRouteFailures(camel);
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("failing.yaml", """
                    - route:
                        id: failing
                        from:
                          uri: direct:failing
                          steps:
                            - throwException:
                                exceptionType: java.lang.IllegalStateException
                                message: no registered device for user BQ-some-user
                    """));
            camel.start();
            assertThatThrownBy(() -> camel.createProducerTemplate().sendBody("direct:failing", "x"))
                    .hasRootCauseMessage("no registered device for user BQ-some-user");
        } finally {
            handlerLog.detachAppender(events);
            handlerLog.setLevel(before);
        }
        assertThat(events.list)
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.DEBUG));
    }
}
