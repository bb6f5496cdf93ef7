package io.sluice.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One line per event, key=value or JSON. */
class EventLayoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoggerContext context = new LoggerContext();
    private final EventLayout layout = new EventLayout();

    {
        context.setMDCAdapter(new LogbackMDCAdapter());
    }

    private LoggingEvent event(String logger, Level level, String message, Throwable thrown, Object... args) {
        return new LoggingEvent("test", context.getLogger(logger), level, message, thrown, args);
    }

    @Test
    void textIsTheMessageAfterTimeLevelAndLoggerOnOneLine() {
        String line =
                layout.doLayout(event("io.sluice.gateway.Gateway", Level.INFO, "event=started port={}", null, 8080));
        assertThat(line)
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z level=INFO logger=Gateway "
                        + "event=started port=8080\\R");
    }

    @Test
    void jsonMakesEachPairAFieldAndWholeNumbersNumbers() throws Exception {
        layout.setFormat(LogFormat.JSON);
        String line = layout.doLayout(event(
                "io.sluice.gateway.protocol.Connection",
                Level.WARN,
                "event=request.failed conn={} seq={} error={} description=\"{}\"",
                null,
                "1f",
                42,
                "unavailable",
                "the backend failed: ConnectException: \"refused\""));
        assertThat(line).endsWith("}" + System.lineSeparator()).doesNotContain("\n}");
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("WARN");
        assertThat(json.get("logger").asText()).isEqualTo("Connection");
        assertThat(json.get("event").asText()).isEqualTo("request.failed");
        assertThat(json.get("conn").asText()).isEqualTo("1f");
        assertThat(json.get("seq").isNumber()).isTrue();
        assertThat(json.get("seq").asInt()).isEqualTo(42);
        assertThat(json.get("description").asText()).isEqualTo("the backend failed: ConnectException: \"refused\"");
    }

    @Test
    void aMessageThatIsNotKeyValueIsKeptWholeAsMsg() throws Exception {
        layout.setFormat(LogFormat.JSON);
        JsonNode json = JSON.readTree(layout.doLayout(
                event("org.eclipse.jetty.server.Server", Level.WARN, "Something odd happened = maybe", null)));
        assertThat(json.get("msg").asText()).isEqualTo("Something odd happened = maybe");
        assertThat(json.has("event")).isFalse();
    }

    @Test
    void anExceptionStaysOnTheEventsLine() throws Exception {
        Exception failure = new IllegalStateException("outer", new java.io.IOException("line one\nline two"));
        String text = layout.doLayout(event("x.Y", Level.ERROR, "event=boom", failure));
        assertThat(text.lines()).hasSize(1);
        assertThat(text).contains("error=\"IllegalStateException: outer <- IOException: line one\\nline two\"");

        layout.setFormat(LogFormat.JSON);
        String json = layout.doLayout(event("x.Y", Level.ERROR, "event=boom", failure));
        assertThat(json.lines()).hasSize(1);
        JsonNode node = JSON.readTree(json);
        assertThat(node.get("error").asText()).startsWith("IllegalStateException: outer");
        assertThat(node.get("stack").asText()).contains("\tat ").contains("caused by: java.io.IOException");
    }

    @Test
    void newlinesInAMessageAreEscapedInText() {
        assertThat(layout.doLayout(event("x.Y", Level.INFO, "first\nsecond", null))
                        .lines())
                .hasSize(1);
    }

    @Test
    void pairsAreParsedWithQuotedValues() {
        assertThat(EventLayout.pairs("event=a k=\"two words\" n=3"))
                .isEqualTo(Map.of("event", "a", "k", "two words", "n", "3"));
        assertThat(EventLayout.pairs("not a pair")).isNull();
        assertThat(EventLayout.pairs("k=\"unterminated")).isNull();
    }

    @Test
    void formatSettingIsTextOrJson() {
        assertThat(LogFormat.of("sluice.log.format", "JSON")).isEqualTo(LogFormat.JSON);
        assertThatThrownBy(() -> LogFormat.of("sluice.log.format", "xml"))
                .hasMessage("sluice.log.format: 'xml' (expected: text or json)");
    }
}
