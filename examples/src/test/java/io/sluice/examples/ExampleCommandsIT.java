package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each example's route file runs on the gateway jar as it ships: its components and kamelets are inside. A dry
 * run ({@code routes}) checks that without the brokers.
 */
class ExampleCommandsIT {
    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "examples/{0}")
    @ValueSource(strings = {"rabbitmq", "nats", "mqtt", "audit-fanout"})
    void theJarAcceptsTheExampleAndPrintsItsRoutes(String example) throws Exception {
        try (GatewayProcess gateway = GatewayProcess.launch(
                dataDir, Map.of("sluice.routes", Examples.routes(example).toString()), List.of("routes"))) {
            assertThat(gateway.awaitExit(Duration.ofSeconds(60)))
                    .as(String.join("\n", gateway.output()))
                    .isZero();
            assertThat(gateway.output())
                    .contains("# sluice:outbound (clients send sealed messages there): route" + " outbound in "
                            + Examples.routes(example));
            assertThat(gateway.output()).anyMatch(line -> line.startsWith("# routes into sluice:deliver: route "));
        }
    }
}
