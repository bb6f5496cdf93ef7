package io.sluice.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Scenario 4 around {@link ConnectionBench}: its own gateway, so nothing else shares its heap. */
final class ConnectionsScenario {
    private ConnectionsScenario() {}

    static void run(Results results) throws Exception {
        BenchOptions options = results.options;
        ServerProcess.GatewayLaunch launch = new ServerProcess.GatewayLaunch(
                options.gatewayJar(),
                List.of(),
                GatewaySettings.with(Map.of()),
                Workspace.fresh(options.work().resolve("connections-data")),
                options.serverJvm());
        System.out.printf("connections: up to %,d authenticated idle connections%n", options.connections());
        try (ServerProcess gateway = ServerProcess.launchGateway(
                        "gateway-connections", launch, options.work().resolve("logs"))
                .awaitStarted(Duration.ofSeconds(60))) {
            results.connections = ConnectionBench.run(gateway.uri(), gateway.probe(), options.connections());
        }
    }
}
