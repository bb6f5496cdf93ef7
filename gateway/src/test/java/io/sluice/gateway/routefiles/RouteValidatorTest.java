package io.sluice.gateway.routefiles;

import static io.sluice.gateway.testing.TestRoutes.PREKEY_ROUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.camel.SluiceOperation;
import io.sluice.spi.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a route file is refused, with the exact one-line message; and what a valid set looks like. */
class RouteValidatorTest {
    /** The four routes every complete set needs besides outbound, on the embedded store. */
    private static final String OUTBOUND = """
            - route:
                id: outbound
                from:
                  uri: sluice:outbound
                  steps:
                    - to: sluice:deliver
            """;

    @TempDir
    Path dir;

    private String write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file.toString();
    }

    private static ValidatedRoutes validate(Map<String, String> settings, String... files) {
        return RouteValidator.validate(Settings.of(settings), List.of(files));
    }

    private static ValidatedRoutes validate(String... files) {
        return validate(Map.of(), files);
    }

    /** Found by RouteFilesFuzzTest: a route without 'from:' ended start-up with a NullPointerException. */
    @Test
    void routeWithoutFromIsRefusedNamingTheRoute() throws IOException {
        String file = write("nofrom.yaml", "- route:\n    id: nofrom\n");

        assertThatThrownBy(() -> validate(file))
                .isInstanceOf(RouteFileException.class)
                .hasMessageEndingWith(
                        "route nofrom has no 'from:' (expected: the endpoint it consumes, such as from: {uri:"
                                + " sluice:outbound})");
    }

    @Test
    void acceptsTheEmbeddedDefaultAndSaysWhichRouteConsumesEachEndpoint() {
        ValidatedRoutes routes = validate("classpath:routes/embedded.yaml");

        assertThat(routes.routes())
                .extracting(ValidatedRoutes.RouteView::consumes)
                .containsExactly(
                        SluiceOperation.REGISTER,
                        SluiceOperation.UNREGISTER,
                        SluiceOperation.REQUEST_PREKEYS,
                        SluiceOperation.PREKEY_COUNT,
                        SluiceOperation.OUTBOUND);
        assertThat(routes.routes()).allMatch(r -> r.file().equals("classpath:routes/embedded.yaml"));
        assertThat(routes.routes().get(4).delivers()).isTrue();
    }

    @Test
    void refusesASetWithNoRouteFromOutbound() throws IOException {
        String file = write("my.yaml", PREKEY_ROUTES);

        assertThatThrownBy(() -> validate(file))
                .isInstanceOf(RouteFileException.class)
                .hasMessage(file + ": no route consumes sluice:outbound (clients send sealed messages there)");
    }

    @Test
    void namesEveryFileWhenTheMissingRouteCouldBeInAnyOfThem() throws IOException {
        String prekeys = write(
                "a.yaml",
                PREKEY_ROUTES.replace(
                        "id: register\n    from:\n      uri: sluice:register\n"
                                + "      steps:\n        - to: embedded:register\n",
                        "id: register\n    from:\n      uri: direct:x\n"
                                + "      steps:\n        - to: embedded:register\n"));
        String outbound = write("b.yaml", OUTBOUND);

        assertThatThrownBy(() -> validate(prekeys, outbound))
                .hasMessage(prekeys + ", " + outbound
                        + ": no route consumes sluice:register (devices register their prekeys there)");
    }

    @Test
    void refusesTwoRoutesConsumingOneEndpointInOneFile() throws IOException {
        String file =
                write("my.yaml", PREKEY_ROUTES + OUTBOUND + OUTBOUND.replace("id: outbound", "id: outbound-copy"));

        assertThatThrownBy(() -> validate(file))
                .hasMessage(file
                        + ": sluice:outbound is consumed by two routes, outbound and outbound-copy (expected: one)");
    }

    @Test
    void refusesTwoRoutesConsumingOneEndpointAcrossFilesNamingBoth() throws IOException {
        String first = write("a.yaml", PREKEY_ROUTES + OUTBOUND);
        String second = write("b.yaml", OUTBOUND.replace("id: outbound", "id: audit"));

        assertThatThrownBy(() -> validate(first, second))
                .hasMessage(second + ": sluice:outbound is consumed by two routes, outbound (" + first
                        + ") and audit (expected: one)");
    }

    @Test
    void refusesAComponentThatIsNotOnTheClassPath() throws IOException {
        String file = write("my.yaml", PREKEY_ROUTES + OUTBOUND.replace("to: sluice:deliver", "to: kafkaa:sealed"));

        assertThatThrownBy(() -> validate(file))
                .hasMessage(file
                        + ": unknown component 'kafkaa' in route outbound (kafkaa:sealed): no camel-kafkaa on the gateway's"
                        + " class path");
    }

    @Test
    void refusesAnUnknownComponentOnlyCamelFindsInAnErrorHandler() throws IOException {
        String file = write(
                "my.yaml",
                """
                - routeConfiguration:
                    id: to-nowhere
                    onException:
                      - onException:
                          exception:
                            - java.lang.Exception
                          handled:
                            constant: true
                          steps:
                            - to: nowhere:dead-letters
                """ + PREKEY_ROUTES
                        + OUTBOUND.replace("id: outbound", "id: outbound\n    routeConfigurationId: to-nowhere"));

        assertThatThrownBy(() -> validate(file))
                .hasMessage(file
                        + ": unknown component 'nowhere' in route outbound (nowhere:dead-letters): no camel-nowhere on the"
                        + " gateway's class path");
    }

    @Test
    void refusesAnUnresolvedPlaceholderNamingTheKey() throws IOException {
        String file = write(
                "my.yaml",
                PREKEY_ROUTES + OUTBOUND.replace("to: sluice:deliver", "to: \"log:{{sluice.audit.logger}}\""));

        assertThatThrownBy(() -> validate(file))
                .hasMessage(file
                        + ": unresolved placeholder {{sluice.audit.logger}} in route outbound (expected: a setting"
                        + " sluice.audit.logger, or a default: {{sluice.audit.logger:value}})");
    }

    @Test
    void refusesAnUnresolvedPlaceholderOutsideAUri() throws IOException {
        String file = write(
                "my.yaml",
                PREKEY_ROUTES
                        + OUTBOUND.replace(
                                "- to: sluice:deliver",
                                "- setHeader:\n            name: Audit\n            constant: \"{{sluice.audit.tag}}\"\n"
                                        + "        - to: sluice:deliver"));

        assertThatThrownBy(() -> validate(file))
                .hasMessage(file
                        + ": unresolved placeholder {{sluice.audit.tag}} in route outbound (expected: a setting"
                        + " sluice.audit.tag, or a default: {{sluice.audit.tag:value}})");
    }

    @Test
    void resolvesPlaceholdersFromSettingsAndDefaults() throws IOException {
        String file = write(
                "my.yaml",
                PREKEY_ROUTES
                        + OUTBOUND.replace(
                                "- to: sluice:deliver",
                                "- to: \"log:{{sluice.audit.logger}}?level={{sluice.audit.level:DEBUG}}\"\n        - to: sluice:deliver"));

        ValidatedRoutes routes = validate(Map.of("sluice.audit.logger", "audit"), file);

        assertThat(routes.routes().get(4).yaml()).contains("log:audit?level=DEBUG");
    }

    @Test
    void refusesAnUnknownKameletListingTheShippedOnes() throws IOException {
        String file = write(
                "my.yaml",
                PREKEY_ROUTES + OUTBOUND.replace("to: sluice:deliver", "to: kamelet:sluice-carrier-pigeon-sink"));

        assertThatThrownBy(() -> validate(file))
                .hasMessageStartingWith(
                        file + ": unknown kamelet 'sluice-carrier-pigeon-sink' in route outbound (expected: one of ");
    }

    @Test
    void refusesAFileThatDoesNotParse() throws IOException {
        String file = write("my.yaml", "- route:\n    id: [unclosed\n");

        assertThatThrownBy(() -> validate(file))
                .hasMessage(file + ": cannot be read: while parsing a flow sequence"
                        + " (line 2, column 9): expected ',' or ']', but got <stream end>");
    }

    @Test
    void refusesAnEndpointUsedInTheWrongDirection() throws IOException {
        String deliverInFrom = write("a.yaml", PREKEY_ROUTES + OUTBOUND + """
                - route:
                    id: backwards
                    from:
                      uri: sluice:deliver
                      steps:
                        - to: log:x
                """);
        String outboundInTo =
                write("b.yaml", PREKEY_ROUTES + OUTBOUND.replace("to: sluice:deliver", "to: sluice:outbound"));

        assertThatThrownBy(() -> validate(deliverInFrom))
                .hasMessage(
                        deliverInFrom
                                + ": sluice:deliver in 'from:' of route backwards: routes send messages there (expected: in 'to:')");
        assertThatThrownBy(() -> validate(outboundInTo))
                .hasMessage(outboundInTo
                        + ": sluice:outbound in 'to:' of route outbound: client requests enter routes there (expected: in"
                        + " 'from:')");
    }

    @Test
    void refusesAnEndpointThatDoesNotExist() throws IOException {
        String file = write(
                "my.yaml",
                PREKEY_ROUTES
                        + OUTBOUND
                        + OUTBOUND.replace("id: outbound", "id: typo")
                                .replace("uri: sluice:outbound", "uri: sluice:outbond"));

        assertThatThrownBy(() -> validate(file))
                .hasMessage(file + ": sluice:outbond in route typo is no sluice:"
                        + " endpoint (expected: sluice:register, sluice:unregister, sluice:requestPreKeys, sluice:outbound,"
                        + " sluice:preKeyCount, sluice:deliver)");
    }

    @Test
    void refusesAnOptionTheComponentDoesNotHave() throws IOException {
        String file = write("my.yaml", PREKEY_ROUTES + OUTBOUND.replace("to: sluice:deliver", "to: log:x?colour=blue"));

        assertThatThrownBy(() -> validate(file))
                .hasMessageStartingWith(file + ": route outbound cannot be built: ")
                .hasMessageContaining("colour");
    }

    @Test
    void acceptsARouteMadeFromARouteTemplateInTheFile() throws IOException {
        String file = write("my.yaml", PREKEY_ROUTES + """
                - routeTemplate:
                    id: deliver-logged
                    parameters:
                      - name: endpoint
                      - name: logger
                        defaultValue: sealed
                    route:
                      from:
                        uri: "{{endpoint}}"
                        steps:
                          - to: "log:{{logger}}?level=DEBUG"
                          - to: sluice:deliver
                - templatedRoute:
                    routeTemplateRef: deliver-logged
                    routeId: outbound
                    parameters:
                      - name: endpoint
                        value: sluice:outbound
                """);

        ValidatedRoutes routes = validate(file);

        assertThat(routes.routes())
                .filteredOn(r -> r.consumes() == SluiceOperation.OUTBOUND)
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.id()).isEqualTo("outbound");
                    assertThat(r.file()).isEqualTo(file);
                    assertThat(r.yaml()).contains("log:sealed?level=DEBUG");
                });
    }

    @Test
    void readsXmlRoutesToo() throws IOException {
        String prekeys = write("prekeys.yaml", PREKEY_ROUTES);
        String outbound = write("outbound.xml", """
                <routes xmlns="http://camel.apache.org/schema/xml-io">
                  <route id="outbound">
                    <from uri="sluice:outbound"/>
                    <to uri="sluice:deliver"/>
                  </route>
                </routes>
                """);

        ValidatedRoutes routes = validate(prekeys, outbound);

        assertThat(routes.routes())
                .filteredOn(r -> r.consumes() == SluiceOperation.OUTBOUND)
                .singleElement()
                .extracting(ValidatedRoutes.RouteView::file)
                .isEqualTo(outbound);
    }

    @Test
    void masksSecretsInWhatItPrints() throws IOException {
        String file = write(
                "my.yaml",
                PREKEY_ROUTES
                        + OUTBOUND.replace(
                                "- to: sluice:deliver",
                                "- to: \"paho-mqtt5:audit?brokerUrl=tcp://127.0.0.1:1883&userName=bob&password={{sluice.secret}}\"\n"
                                        + "        - to: \"nats:audit?servers=nats://bob:{{sluice.secret}}@127.0.0.1:4222\"\n"
                                        + "        - to: sluice:deliver"));

        ValidatedRoutes routes = validate(Map.of("sluice.secret", "hunter2"), file);

        assertThat(routes.routes().get(4).yaml())
                .doesNotContain("hunter2")
                .contains("password=xxxxxx")
                .contains("nats://bob:xxxxxx@127.0.0.1:4222");
    }
}
