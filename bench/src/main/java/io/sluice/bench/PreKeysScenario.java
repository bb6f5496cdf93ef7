package io.sluice.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 3: register, then concurrent {@code requestPreKeys}, against the embedded store and against the
 * JDBC store ({@code routes/jdbc-prekeys.yaml}, PostgreSQL on 127.0.0.1:5432, a fresh schema per run). The
 * JDBC half is skipped, with the reason, while its route or the database are not there.
 */
final class PreKeysScenario {
    private PreKeysScenario() {}

    static void run(Results results) throws Exception {
        BenchOptions options = results.options;
        int users = options.quick() ? 20 : 200;
        int keys = options.quick() ? 100 : 500;
        results.preKeys.add(runOne(options, "embedded", Map.of(), users, keys));
        String missing = jdbcMissing(options);
        if (missing != null) {
            results.skip("prekeys, JDBC store", missing);
            return;
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("sluice.routes", "classpath:routes/jdbc-prekeys.yaml");
        settings.put("sluice.jdbc.url", System.getProperty("bench.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/test"));
        settings.put("sluice.jdbc.user", System.getProperty("bench.jdbc.user", "postgres"));
        settings.put("sluice.jdbc.schema", "sluice_bench_" + System.currentTimeMillis());
        results.preKeys.add(runOne(options, "JDBC (PostgreSQL)", settings, users, keys));
    }

    private static PreKeyBench.Result runOne(
            BenchOptions options, String store, Map<String, String> settings, int users, int keys) throws Exception {
        System.out.printf(
                "prekeys: %s store, %d users × %d one-time keys, %d concurrent requesters%n",
                store, users, keys, options.preKeyConcurrency());
        Map<String, String> all = GatewaySettings.with(settings);
        ServerProcess.GatewayLaunch launch = new ServerProcess.GatewayLaunch(
                options.gatewayJar(),
                List.of(),
                all,
                Workspace.fresh(options.work().resolve("prekeys-data")),
                options.serverJvm());
        try (ServerProcess gateway = ServerProcess.launchGateway(
                        "gateway-prekeys-" + store.split(" ")[0].toLowerCase(),
                        launch,
                        options.work().resolve("logs"))
                .awaitStarted(Duration.ofSeconds(60))) {
            PreKeyBench.Result result = PreKeyBench.run(
                    store,
                    gateway.uri(),
                    gateway.probe(),
                    users,
                    keys,
                    options.preKeyConcurrency(),
                    options.preKeyTime());
            System.out.printf(
                    "  %s: %,.0f requestPreKeys/s, p50 %s ms, p99 %s ms, %,d failed%n",
                    store,
                    result.throughput(),
                    Report.num(result.latency().p50()),
                    Report.num(result.latency().p99()),
                    result.failed());
            return result;
        }
    }

    private static String jdbcMissing(BenchOptions options) throws IOException {
        if (!GatewayJar.contains(options.gatewayJar(), "routes/jdbc-prekeys.yaml")) {
            return "the gateway jar has no routes/jdbc-prekeys.yaml: the JDBC connector (issue 4) is not on this "
                    + "branch yet";
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5432), 1_000);
        } catch (IOException e) {
            return "PostgreSQL does not answer on 127.0.0.1:5432 (scripts/services.sh ensure starts it)";
        }
        return null;
    }
}
