package io.sluice.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The benchmark's flags, {@code --name=value}. {@code --quick} sets short defaults for a development run;
 * any flag given after it still wins.
 */
record BenchOptions(
        Set<String> scenarios,
        Path root,
        Path out,
        Duration stepTime,
        Duration warmup,
        List<Double> rates,
        List<Integer> sizes,
        int senders,
        int recipients,
        int pacers,
        int connections,
        int coldStarts,
        Duration preKeyTime,
        int preKeyConcurrency,
        boolean profile,
        List<String> serverJvm,
        int clusterConnections,
        int gateways,
        boolean quick) {

    static final List<String> ALL =
            List.of("messages", "kafka", "redis", "prekeys", "connections", "cluster-connections", "coldstart");

    private static final String USAGE = """
            usage: bench/run.sh [--quick] [--name=value ...]
              --quick                  short steps and small counts, for trying the benchmark out (about 10 min)
              --scenarios=a,b          of messages,kafka,redis,prekeys,connections,cluster-connections,coldstart
                                       (default: all)
              --step-seconds=N         how long each offered rate is held (default 10; quick 3)
              --warmup-seconds=N       unreported warm-up before each series (default 5; quick 2)
              --rates=r1,r2,...        offered messages/s, stepped up until saturation
              --sizes=256,4096         sealed message sizes in bytes
              --senders=N --recipients=M   connections of the message scenarios (default 16 and 16)
              --pacers=N               generator threads offering the load (default 2)
              --connections=N          idle authenticated connections to try for (default 50000; quick 2000)
              --cluster-connections=N  idle authenticated connections across gateways (default 100000; quick 3000)
              --gateways=G             gateway processes of cluster-connections, each with its own load
                                       generator process (default 6; quick 3)
              --cold-starts=N          launches timed (default 5; quick 2)
              --prekey-seconds=N       how long requestPreKeys runs (default 10; quick 3)
              --prekey-concurrency=N   concurrent requestPreKeys connections (default 32)
              --server-jvm='flags'     JVM flags of every server under test (default '-Xms1g -Xmx3g')
              --no-profile             skip the JFR profile of the gateway at saturation
              --out=DIR                where results.md and latency.png go (default bench/results)
            """;

    static BenchOptions parse(String[] args, Path root) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + USAGE);
            }
            int eq = arg.indexOf('=');
            flags.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
        boolean quick = flags.containsKey("quick");
        List<Double> rates = quick
                ? List.of(2_500.0, 5_000.0, 10_000.0, 20_000.0, 40_000.0, 80_000.0)
                : List.of(
                        2_500.0, 5_000.0, 10_000.0, 15_000.0, 20_000.0, 25_000.0, 30_000.0, 40_000.0, 50_000.0,
                        65_000.0, 80_000.0, 100_000.0, 130_000.0, 160_000.0, 200_000.0);
        Set<String> scenarios = new TreeSet<>(ALL);
        if (flags.containsKey("scenarios")) {
            scenarios = new TreeSet<>(Arrays.asList(flags.remove("scenarios").split(",")));
            for (String s : scenarios) {
                if (!ALL.contains(s)) {
                    throw new IllegalArgumentException("scenarios: '" + s + "' (expected: some of " + ALL + ")");
                }
            }
        }
        BenchOptions options = new BenchOptions(
                scenarios,
                root,
                root.resolve(flags.getOrDefault("out", "bench/results")),
                Duration.ofSeconds(positive(flags, "step-seconds", quick ? 3 : 10)),
                Duration.ofSeconds(positive(flags, "warmup-seconds", quick ? 2 : 5)),
                flags.containsKey("rates")
                        ? Arrays.stream(flags.get("rates").split(","))
                                .map(Double::valueOf)
                                .toList()
                        : rates,
                flags.containsKey("sizes")
                        ? Arrays.stream(flags.get("sizes").split(","))
                                .map(Integer::valueOf)
                                .toList()
                        : List.of(256, 4096),
                positive(flags, "senders", 16),
                positive(flags, "recipients", 16),
                positive(flags, "pacers", 2),
                positive(flags, "connections", quick ? 2_000 : 50_000),
                positive(flags, "cold-starts", quick ? 2 : 5),
                Duration.ofSeconds(positive(flags, "prekey-seconds", quick ? 3 : 10)),
                positive(flags, "prekey-concurrency", 32),
                !flags.containsKey("no-profile"),
                List.of(flags.getOrDefault("server-jvm", "-Xms1g -Xmx3g").trim().split("\\s+")),
                positive(flags, "cluster-connections", quick ? 3_000 : 100_000),
                positive(flags, "gateways", quick ? 3 : 6),
                quick);
        flags.keySet()
                .removeAll(List.of(
                        "quick",
                        "out",
                        "step-seconds",
                        "warmup-seconds",
                        "rates",
                        "sizes",
                        "senders",
                        "recipients",
                        "pacers",
                        "connections",
                        "cold-starts",
                        "prekey-seconds",
                        "prekey-concurrency",
                        "no-profile",
                        "server-jvm",
                        "cluster-connections",
                        "gateways"));
        if (!flags.isEmpty()) {
            throw new IllegalArgumentException("unknown flags " + flags.keySet() + "\n" + USAGE);
        }
        return options;
    }

    private static int positive(Map<String, String> flags, String name, int fallback) {
        String value = flags.get(name);
        if (value == null) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            parsed = 0;
        }
        if (parsed <= 0) {
            throw new IllegalArgumentException(name + ": '" + value + "' (expected: an integer > 0)");
        }
        return parsed;
    }

    Path gatewayJar() {
        return root.resolve("gateway/target/sluice-gateway.jar");
    }

    Path work() {
        return root.resolve("bench/target/work");
    }
}
