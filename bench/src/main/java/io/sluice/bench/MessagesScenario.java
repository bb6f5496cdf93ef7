package io.sluice.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Scenario 1, messages through the embedded default, next to the echo baseline: both servers up at once in
 * their own processes, each size stepped up to saturation on Sluice and then on the echo server, then a JFR
 * profile of the gateway held at its saturating rate.
 */
final class MessagesScenario {
    static final Duration DRAIN = Duration.ofSeconds(15);

    private MessagesScenario() {
    }

    static void run(Results results) throws Exception {
        BenchOptions options = results.options;
        Path logs = options.work().resolve("logs");
        Path data = Workspace.fresh(options.work().resolve("messages-data"));
        int largest = options.sizes().stream().mapToInt(Integer::intValue).max().orElse(256);
        Deliveries sink = new Deliveries(largest);
        ServerProcess.GatewayLaunch launch = new ServerProcess.GatewayLaunch(options.gatewayJar(), List.of(),
                Map.of("sluice.prekeys.check-interval", "1h"), data, options.serverJvm());
        try (ServerProcess gateway = ServerProcess.launchGateway("gateway-embedded", launch, logs)
                .awaitStarted(Duration.ofSeconds(60));
             ServerProcess echo = ServerProcess.launchMain("echo", EchoServer.class, options.serverJvm(), List.of(),
                     logs).awaitStarted(Duration.ofSeconds(60));
             SluicePath sluice = SluicePath.open(gateway.uri(), options.senders(), options.recipients(), sink);
             EchoPath echoPath = EchoPath.open(echo.uri(), options.senders(), sink)) {
            MessageBench sluiceBench = new MessageBench(sluice, sink, gateway.probe(), options.pacers(), DRAIN);
            MessageBench echoBench = new MessageBench(echoPath, sink, echo.probe(), options.pacers(), DRAIN);
            for (int size : options.sizes()) {
                System.out.printf("messages: %d B, %s then %s%n", size, Results.SLUICE_EMBEDDED, Results.ECHO);
                sluiceBench.run("warm-up", size, 5_000, options.warmup());
                results.steps.addAll(sluiceBench.stepUp(Results.SLUICE_EMBEDDED, size, options.rates(),
                        options.stepTime()));
                echoBench.run("warm-up", size, 5_000, options.warmup());
                results.steps.addAll(echoBench.stepUp(Results.ECHO, size, options.rates(), options.stepTime()));
            }
            if (options.profile()) {
                int size = options.sizes().get(0);
                Profiles.atSaturation(results, "gateway, embedded, " + size + " B", gateway, sluiceBench,
                        results.series(Results.SLUICE_EMBEDDED, size), size, options.stepTime(),
                        options.work().resolve("gateway-embedded.jfr"));
            }
        }
    }
}
