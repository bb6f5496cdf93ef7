package io.sluice.gateway.routefiles;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What Camel throws, in the one line a user can act on. */
class CamelProblemsTest {

    @Test
    void aParsersMultiLineMessageBecomesOneLineWithItsPositionAndProblem() {
        Exception yaml = new IllegalStateException("""
                while parsing a flow sequence
                 in reader, line 2, column 9:
                    - [a, b
                            ^
                expected ',' or ']', but got <stream end>
                 in reader, line 3, column 1:
                """);
        assertThat(CamelProblems.parseProblem(yaml))
                .isEqualTo(
                        "while parsing a flow sequence (line 2, column 9): expected ',' or ']', but got <stream end>");
    }

    @Test
    void anUnresolvedPlaceholderAnywhereInTheCausesNamesTheSettingAndTheDefaultSyntax() {
        Exception failure = new RuntimeException(
                "wrapper",
                new IllegalArgumentException("Property with key [sluice.rabbitmq.url] not found in properties"));
        assertThat(CamelProblems.missingProperty("routes/my.yaml", "route outbound", failure))
                .hasValueSatisfying(
                        e -> assertThat(e.getMessage())
                                .isEqualTo(
                                        "routes/my.yaml: unresolved placeholder {{sluice.rabbitmq.url}} in route outbound "
                                                + "(expected: a setting sluice.rabbitmq.url, or a default: {{sluice.rabbitmq.url:value}})"));
        assertThat(CamelProblems.missingProperty("f", "r", new RuntimeException("other")))
                .isEmpty();
    }

    @Test
    void anUnknownComponentIsNamedWithItsUriSanitized() {
        assertThat(CamelProblems.unknownComponent(
                                "routes/my.yaml", "route outbound", "kafka:sealed?password=secret", null)
                        .getMessage())
                .startsWith(
                        "routes/my.yaml: unknown component 'kafka' in route outbound (kafka:sealed?password=xxxxxx)")
                .endsWith("no camel-kafka on the gateway's class path");
    }
}
