package io.sluice.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.gateway.testing.Logfmt;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** Both log formats: structure from SLF4J key-value pairs, one line per event whatever the message holds. */
class LogEncodersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoggerContext context = new LoggerContext();
    private final LoggingEventCompositeJsonEncoder json;

    {
        context.setMDCAdapter(new LogbackMDCAdapter());
        json = JsonLogEncoder.create(context);
    }

    private LoggingEvent event(String logger, Level level, String message, Throwable thrown, Object... pairs) {
        LoggingEvent event = new LoggingEvent("test", context.getLogger(logger), level, message, thrown, null);
        for (int i = 0; i < pairs.length; i += 2) {
            event.addKeyValuePair(new KeyValuePair((String) pairs[i], pairs[i + 1]));
        }
        return event;
    }

    private static String text(LoggingEvent event) {
        return LogfmtEncoder.format(event);
    }

    private JsonNode json(LoggingEvent event) throws Exception {
        String line = new String(json.encode(event), StandardCharsets.UTF_8);
        assertThat(line.lines()).hasSize(1);
        return JSON.readTree(line);
    }

    @Test
    void textIsStrictLogfmtWithTsFirstThenLevelLoggerAndThePairs() {
        String line = text(event(
                "io.sluice.gateway.Gateway",
                Level.INFO,
                null,
                null,
                "event",
                "started",
                "url",
                "ws://0.0.0.0:8080/api",
                "startup_ms",
                812L));
        assertThat(line)
                .matches("ts=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z level=INFO logger=Gateway "
                        + "event=started url=ws://0.0.0.0:8080/api startup_ms=812\\R");
        assertThat(Logfmt.parse(line.strip()).keySet())
                .containsExactly("ts", "level", "logger", "event", "url", "startup_ms");
    }

    @Test
    void jsonMakesEachPairAFieldAndNumbersNumbers() throws Exception {
        JsonNode node = json(event(
                "io.sluice.gateway.protocol.Connection",
                Level.WARN,
                null,
                null,
                "event",
                "request.failed",
                "conn",
                "1f",
                "seq",
                42L,
                "description",
                "the backend failed: ConnectException: \"refused\""));
        assertThat(node.get("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(node.get("level").asText()).isEqualTo("WARN");
        assertThat(node.get("logger").asText()).isEqualTo("Connection");
        assertThat(node.get("event").asText()).isEqualTo("request.failed");
        assertThat(node.get("seq").isNumber()).isTrue();
        assertThat(node.get("seq").asInt()).isEqualTo(42);
        assertThat(node.get("description").asText()).isEqualTo("the backend failed: ConnectException: \"refused\"");
        assertThat(node.has("msg")).isFalse();
    }

    @Test
    void aLibrarysMultiLineMessageStaysOnOneWellFormedLineInBothFormats() throws Exception {
        String message = "ProducerConfig values: \n\tacks = -1\n\tbatch.size = 16384 \"quoted\" a=b \\ end";
        LoggingEvent event = event("org.apache.kafka.clients.producer.ProducerConfig", Level.INFO, message, null);

        String line = text(event);
        assertThat(line.lines()).hasSize(1);
        Map<String, String> pairs = Logfmt.parse(line.strip());
        assertThat(pairs).containsEntry("logger", "ProducerConfig").containsEntry("msg", message);

        assertThat(json(event).get("msg").asText()).isEqualTo(message);
    }

    @Test
    void anExceptionIsItsChainOfCausesAndAnEscapedStackOnTheEventsLine() throws Exception {
        Exception failure = new IllegalStateException("outer", new java.io.IOException("line one\nline two"));
        LoggingEvent event = event("x.Y", Level.ERROR, null, failure, "event", "boom");

        String line = text(event);
        assertThat(line.lines()).hasSize(1);
        Map<String, String> pairs = Logfmt.parse(line.strip());
        assertThat(pairs.get("error")).isEqualTo("IllegalStateException: outer <- IOException: line one\nline two");
        assertThat(pairs.get("stack")).contains("\tat ").contains("Caused by: java.io.IOException");

        JsonNode node = json(event);
        assertThat(node.get("error").asText()).startsWith("IllegalStateException: outer");
        assertThat(node.get("stack").asText()).contains("\tat ").contains("Caused by: java.io.IOException");
    }

    @Test
    void userIdsAreMaskedInEveryValueOfBothFormats() throws Exception {
        byte[] id = new byte[33];
        id[0] = 5;
        for (int i = 1; i < id.length; i++) {
            id[i] = (byte) (i * 37);
        }
        String url = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        String standard = Base64.getEncoder().encodeToString(id);
        String message = "HTTP 500 for http://store/prekeys/" + url + " and " + standard + ".1";
        LoggingEvent event = event("org.apache.camel.Foo", Level.WARN, message, null, "user", url);

        String line = text(event);
        assertThat(line).doesNotContain(url).doesNotContain(standard).contains(Redaction.MASK);
        assertThat(Logfmt.parse(line.strip()).get("msg"))
                .isEqualTo("HTTP 500 for http://store/prekeys/<user-id> and <user-id>.1");

        JsonNode node = json(event);
        assertThat(node.toString()).doesNotContain(url).doesNotContain(standard);
        assertThat(node.get("user").asText()).isEqualTo(Redaction.MASK);
    }

    @Test
    void redactionLeavesOtherTokensAlone() {
        assertThat(Redaction.mask("conn=1f seq=42 abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR"))
                .isEqualTo("conn=1f seq=42 abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR");
        assertThat(Redaction.mask("B" + "x".repeat(44))).isEqualTo("B" + "x".repeat(44));
    }

    @Test
    void strictLogfmtReaderRefusesWhatIsNotLogfmt() {
        for (String bad : List.of("msg=two words", "k=\"unterminated", "=v", "k=a\"b", "k=v  j=w")) {
            assertThatThrownBy(() -> Logfmt.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void formatSettingIsTextOrJson() {
        assertThat(LogFormat.of("sluice.log.format", "JSON")).isEqualTo(LogFormat.JSON);
        assertThatThrownBy(() -> LogFormat.of("sluice.log.format", "xml"))
                .hasMessage("sluice.log.format: 'xml' (expected: text or json)");
    }
}
