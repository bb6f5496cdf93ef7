package io.sluice.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 1, messages through the embedded default, next to the echo baseline: both servers up at once in
 * their own processes; for each size the offered rate steps up, each rate run on Sluice and then on the echo
 * server (so both meet the same background load), until both saturate; then a JFR profile of the gateway
 * held at its saturating rate.
 */
final class MessagesScenario {
    static final Duration DRAIN = Duration.ofSeconds(15);

    private MessagesScenario() {}

    static void run(Results results) throws Exception {
        BenchOptions options = results.options;
        Path logs = options.work().resolve("logs");
        Path data = Workspace.fresh(options.work().resolve("messages-data"));
        int largest = options.sizes().stream().mapToInt(Integer::intValue).max().orElse(256);
        Deliveries sink = new Deliveries(largest);
        ServerProcess.GatewayLaunch launch = new ServerProcess.GatewayLaunch(
                options.gatewayJar(), List.of(), GatewaySettings.with(Map.of()), data, options.serverJvm());
        try (ServerProcess gateway = ServerProcess.launchGateway("gateway-embedded", launch, logs)
                        .awaitStarted(Duration.ofSeconds(60));
                ServerProcess echo = ServerProcess.launchMain(
                                "echo", EchoServer.class, options.serverJvm(), List.of(), logs)
                        .awaitStarted(Duration.ofSeconds(60));
                SluicePath sluice = SluicePath.open(gateway.uri(), options.senders(), options.recipients(), sink);
                EchoPath echoPath = EchoPath.open(echo.uri(), options.senders(), sink)) {
            MessageBench sluiceBench = new MessageBench(sluice, sink, gateway.probe(), options.pacers(), DRAIN);
            MessageBench echoBench = new MessageBench(echoPath, sink, echo.probe(), options.pacers(), DRAIN);
            for (int size : options.sizes()) {
                System.out.printf(
                        "messages: %d B, %s and %s, rate by rate%n", size, Results.SLUICE_EMBEDDED, Results.ECHO);
                sluiceBench.run("warm-up", size, 5_000, options.warmup());
                echoBench.run("warm-up", size, 5_000, options.warmup());
                Map<String, MessageBench> paths = new LinkedHashMap<>();
                paths.put(Results.SLUICE_EMBEDDED, sluiceBench);
                paths.put(Results.ECHO, echoBench);
                results.steps.addAll(MessageBench.stepUpTogether(paths, size, options.rates(), options.stepTime()));
            }
            if (options.profile()) {
                int size = options.sizes().get(0);
                Profiles.atSaturation(
                        results,
                        "gateway, embedded, " + size + " B",
                        gateway,
                        sluiceBench,
                        results.series(Results.SLUICE_EMBEDDED, size),
                        size,
                        options.stepTime(),
                        options.work().resolve("gateway-embedded.jfr"));
            }
        }
    }
}
