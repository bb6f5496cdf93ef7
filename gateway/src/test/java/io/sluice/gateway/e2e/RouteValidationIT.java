package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.TestRoutes.PREKEY_ROUTES;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar refuses route files it will not run before it accepts a connection, with one line naming the file
 * and the problem and exit status 2; {@code routes} is the same check as a dry run.
 */
class RouteValidationIT {

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    private void assertRefused(Map<String, String> settings, List<String> args, String line) throws Exception {
        try (GatewayProcess gateway = GatewayProcess.launch(dir.resolve("data"), settings, args)) {
            assertThat(gateway.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(gateway.output()).as("printed exactly one line").containsExactly(line);
        }
        assertThat(dir.resolve("data")).as("nothing was opened").doesNotExist();
    }

    @Test
    void refusesToStartWhenNoRouteConsumesOutbound() throws Exception {
        Path routes = write("my.yaml", PREKEY_ROUTES);

        assertRefused(
                Map.of("sluice.routes", routes.toString()),
                List.of(),
                "sluice: " + routes + ": no route consumes sluice:outbound (clients send sealed messages there)");
    }

    @Test
    void refusesToStartWithAComponentThatIsNotInTheJar() throws Exception {
        Path routes = write("my.yaml", PREKEY_ROUTES + """
                - route:
                    id: outbound
                    from:
                      uri: sluice:outbound
                      steps:
                        - to: "jms:queue:sealed?connectionFactory=#{{sluice.jms.factory:factory}}"
                """);

        assertRefused(
                Map.of("sluice.routes", routes.toString()),
                List.of(),
                "sluice: " + routes
                        + ": unknown component 'jms' in route outbound (jms:queue:sealed?connectionFactory=#factory): no"
                        + " camel-jms on the gateway's class path");
    }

    @Test
    void refusesToStartWithAnUnresolvedPlaceholder() throws Exception {
        Path routes = write("my.yaml", PREKEY_ROUTES + """
                - route:
                    id: outbound
                    from:
                      uri: sluice:outbound
                      steps:
                        - to: "kamelet:sluice-rabbitmq-sink?url={{sluice.rabbitmq.url}}"
                """);

        assertRefused(
                Map.of("sluice.routes", routes.toString()),
                List.of(),
                "sluice: " + routes
                        + ": unresolved placeholder {{sluice.rabbitmq.url}} in route outbound (expected: a setting"
                        + " sluice.rabbitmq.url, or a default: {{sluice.rabbitmq.url:value}})");
    }

    @Test
    void refusesToStartWhenTwoRoutesConsumeOneEndpoint() throws Exception {
        Path first = write("a.yaml", PREKEY_ROUTES + """
                - route:
                    id: outbound
                    from:
                      uri: sluice:outbound
                      steps:
                        - to: sluice:deliver
                """);
        Path second = write("b.yaml", """
                - route:
                    id: outbound-audit
                    from:
                      uri: sluice:outbound
                      steps:
                        - to: log:audit
                """);

        assertRefused(
                Map.of("sluice.routes", first + "," + second),
                List.of(),
                "sluice: " + second
                        + ": sluice:outbound is consumed by two routes, outbound (" + first
                        + ") and outbound-audit (expected: one)");
    }

    @Test
    void routesCommandFailsTheSameWayForCi() throws Exception {
        Path routes = write("my.yaml", PREKEY_ROUTES);

        assertRefused(
                Map.of("sluice.routes", routes.toString()),
                List.of("routes"),
                "sluice: " + routes + ": no route consumes sluice:outbound (clients send sealed messages there)");
    }

    @Test
    void routesCommandPrintsEachEndpointsRouteWithPlaceholdersResolved() throws Exception {
        Path routes = write("my.yaml", PREKEY_ROUTES + """
                - route:
                    id: outbound
                    from:
                      uri: sluice:outbound
                      steps:
                        - to: "log:{{sluice.audit.logger:audit}}?level=INFO"
                        - to: sluice:deliver
                """);

        try (GatewayProcess gateway = GatewayProcess.launch(
                dir.resolve("data"),
                Map.of("sluice.routes", routes.toString(), "sluice.audit.logger", "sealed-audit"),
                List.of("routes"))) {
            assertThat(gateway.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(gateway.output())
                    .contains(
                            "# sluice:outbound (clients send sealed messages there): route outbound in " + routes,
                            "            uri: log:sealed-audit?level=INFO",
                            "# sluice:preKeyCount (the gateway counts a device's one-time prekeys there): route prekey-count in "
                                    + routes);
            assertThat(gateway.output()).noneMatch(line -> line.contains("level=") && line.contains("logger="));
        }
        assertThat(dir.resolve("data")).as("a dry run opens nothing").doesNotExist();
    }

    @Test
    void settingsMayFollowTheCommandAsDashD() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.launch(
                dir.resolve("data"),
                Map.of(),
                List.of("routes", "-Dsluice.routes=" + write("my.yaml", PREKEY_ROUTES)))) {
            assertThat(gateway.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(gateway.output()).singleElement().asString().contains("no route consumes sluice:outbound");
        }
    }
}
