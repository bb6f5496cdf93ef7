package io.sluice.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The benchmark's entry point: runs the chosen scenarios, each with its baseline in the same run, and writes
 * {@code results.md} and {@code latency.png}. {@code bench/run.sh} builds what it needs and calls this; see
 * {@code --help}. A scenario that fails is reported as skipped with its error, and the others still run.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        Path root =
                Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, root);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(options.gatewayJar())) {
            System.err.println("bench: " + options.gatewayJar() + " is not built (bench/run.sh builds it)");
            System.exit(2);
        }
        Files.createDirectories(options.work());
        // Interrupted (Ctrl-C, SIGTERM): the servers this run started go with it.
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
        Results results = new Results(options);
        long started = System.nanoTime();
        environment(results, "load average (1, 5, 15 min) before", ProcessProbe.loadAverage());

        run(results, "messages", MessagesScenario::run);
        run(results, "kafka", KafkaScenario::run);
        run(results, "redis", RedisScenario::run);
        run(results, "prekeys", PreKeysScenario::run);
        run(results, "connections", r -> ConnectionsScenario.run(r));
        run(results, "cluster-connections", ClusterConnectionsScenario::run);
        run(results, "coldstart", r -> r.coldStart = ColdStartBench.run(r.options, r.options.coldStarts()));

        environment(results, "load average (1, 5, 15 min) after", ProcessProbe.loadAverage());
        environment(results, "run time", String.format("%.1f min", (System.nanoTime() - started) / 6e10));
        Files.createDirectories(options.out());
        Report.write(results, options.out().resolve("results.md"));
        if (!results.steps.isEmpty()) {
            Chart.write(results, options.out().resolve("latency.png"));
        }
        System.out.println("bench: wrote " + root.relativize(options.out().resolve("results.md")));
        System.exit(0);
    }

    @FunctionalInterface
    private interface Scenario {
        void run(Results results) throws Exception;
    }

    private static void run(Results results, String name, Scenario scenario) {
        if (!results.options.scenarios().contains(name)) {
            return;
        }
        long start = System.nanoTime();
        environment(results, "load average at the start of " + name, ProcessProbe.loadAverage());
        try {
            scenario.run(results);
        } catch (Exception | Error e) {
            e.printStackTrace();
            results.skipped.put(
                    name, "failed: " + e.toString().lines().findFirst().orElse("?"));
        }
        System.out.printf("bench: %s took %.0f s%n", name, (System.nanoTime() - start) / 1e9);
    }

    private static void environment(Results r, String key, String value) {
        if (r.environment.isEmpty()) {
            BenchOptions o = r.options;
            r.environment.put("date", ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
            r.environment.put("commit", System.getProperty("bench.commit", "?"));
            r.environment.put("command", "`bench/run.sh" + System.getProperty("bench.args", "") + "`");
            r.environment.put(
                    "machine",
                    Runtime.getRuntime().availableProcessors() + " cores, " + memTotal() + " memory, "
                            + System.getProperty("os.name") + " " + System.getProperty("os.version"));
            r.environment.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
            r.environment.put(
                    "servers under test",
                    "own processes, JVM flags `" + String.join(" ", o.serverJvm())
                            + "`; gateway settings as shipped except " + GatewaySettings.describe()
                            + " (see GatewaySettings: the shipped rate limits would cap the load, not the gateway)");
            r.environment.put(
                    "load generator",
                    "this JVM (`"
                            + String.join(
                                    " ",
                                    java.lang.management.ManagementFactory.getRuntimeMXBean()
                                            .getInputArguments())
                            + "`), "
                            + o.senders() + " sender and " + o.recipients() + " recipient connections, " + o.pacers()
                            + " pacing threads");
            r.environment.put(
                    "steps",
                    o.stepTime().toSeconds() + " s per offered rate, after "
                            + o.warmup().toSeconds()
                            + " s of unreported warm-up per series; rates "
                            + o.rates().stream()
                                    .map(x -> String.format("%,.0f", x))
                                    .toList());
        }
        r.environment.put(key, value);
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return String.format("%.0f GiB", Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0);
                }
            }
        } catch (Exception ignored) {
            // not Linux: leave it out
        }
        return "?";
    }
}
