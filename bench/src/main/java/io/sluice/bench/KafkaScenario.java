package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 2, messages over Kafka ({@code routes/kafka.yaml}) next to two baselines through the same broker, a
 * producer and a consumer end to end ({@link KafkaEndToEndPath}) and the producer alone, against the local
 * broker that {@code examples/kafka/kafka.sh} runs. Skipped, with the reason, while the route file, the
 * connector in the gateway jar or the broker script are not there.
 */
final class KafkaScenario {
    private KafkaScenario() {}

    /** Why the scenario cannot run on this tree, or null when it can. */
    static String missing(BenchOptions options) throws IOException {
        if (!Files.isRegularFile(options.root().resolve("routes/kafka.yaml"))) {
            return "routes/kafka.yaml is not on this branch yet (the Kafka connector, issue 3)";
        }
        if (!Files.isRegularFile(script(options))) {
            return "examples/kafka/kafka.sh (the local broker) is not on this branch yet";
        }
        if (!GatewayJar.contains(options.gatewayJar(), CONNECTOR_CLASS) && connectorJar(options) == null) {
            return "the Kafka connector is neither in the gateway jar nor built in connectors/kafka/target";
        }
        return null;
    }

    private static final String CONNECTOR_CLASS = "io/sluice/connector/kafka/SluiceKafkaClients.class";

    /** The connector's own jar when it is built apart from the gateway jar, else null. */
    private static Path connectorJar(BenchOptions options) throws IOException {
        Path target = options.root().resolve("connectors/kafka/target");
        if (!Files.isDirectory(target.resolve("lib"))) {
            return null;
        }
        try (var jars = Files.list(target)) {
            return jars.filter(p -> p.getFileName().toString().matches("sluice-connector-kafka-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().contains("-tests"))
                    .findFirst()
                    .orElse(null);
        }
    }

    /**
     * What the gateway needs on its class path besides its jar: nothing when the connector ships inside it,
     * else the connector's jar and its dependencies, as the README's Kafka section runs it.
     */
    private static List<Path> extraClassPath(BenchOptions options) throws IOException {
        if (GatewayJar.contains(options.gatewayJar(), CONNECTOR_CLASS)) {
            return List.of();
        }
        Path lib = options.root().resolve("connectors/kafka/target/lib");
        return List.of(connectorJar(options), lib.resolve("*"));
    }

    private static Path script(BenchOptions options) {
        return options.root().resolve("examples/kafka/kafka.sh");
    }

    static void run(Results results) throws Exception {
        BenchOptions options = results.options;
        String missing = missing(options);
        if (missing != null) {
            results.skip("kafka", missing);
            return;
        }
        Path logs = options.work().resolve("logs");
        Path brokerData = Workspace.fresh(options.work().resolve("kafka-broker"));
        int port = ServerProcess.freePort();
        int controller = ServerProcess.freePort();
        String brokers = "127.0.0.1:" + port;
        broker(
                options,
                "start",
                "--port",
                Integer.toString(port),
                "--controller-port",
                Integer.toString(controller),
                "--data",
                brokerData.toString(),
                "--owner-pid",
                Long.toString(ProcessHandle.current().pid()));
        try {
            long brokerPid = Long.parseLong(
                    Files.readString(brokerData.resolve("broker.pid")).trim());
            ProcessProbe broker = new ProcessProbe(brokerPid);
            int largest =
                    options.sizes().stream().mapToInt(Integer::intValue).max().orElse(256);
            Deliveries sink = new Deliveries(largest);
            ServerProcess.GatewayLaunch launch = new ServerProcess.GatewayLaunch(
                    options.gatewayJar(),
                    extraClassPath(options),
                    GatewaySettings.with(Map.of(
                            "sluice.routes",
                            "classpath:routes/kafka.yaml",
                            "sluice.kafka.brokers",
                            brokers,
                            "sluice.kafka.topic",
                            "bench.sealed")),
                    Workspace.fresh(options.work().resolve("kafka-gateway-data")),
                    options.serverJvm());
            try (ServerProcess gateway = ServerProcess.launchGateway("gateway-kafka", launch, logs)
                            .awaitStarted(Duration.ofSeconds(120));
                    SluicePath sluice = SluicePath.open(gateway.uri(), options.senders(), options.recipients(), sink);
                    ProducerPath producer = new ProducerPath(brokers, "bench.producer", sink);
                    KafkaEndToEndPath endToEnd = new KafkaEndToEndPath(brokers, "bench.end-to-end", sink)) {
                // Sluice's server CPU is the gateway's and the broker's together, as the baselines' is the broker's:
                // the difference per message is what the gateway adds.
                MessageBench sluiceBench = new MessageBench(
                        sluice,
                        sink,
                        ServerSide.of(List.of(gateway.probe(), broker), List.of(gateway.probe())),
                        options.pacers(),
                        MessagesScenario.DRAIN);
                MessageBench producerBench =
                        new MessageBench(producer, sink, broker, options.pacers(), MessagesScenario.DRAIN);
                MessageBench endToEndBench =
                        new MessageBench(endToEnd, sink, broker, options.pacers(), MessagesScenario.DRAIN);
                for (int size : options.sizes()) {
                    System.out.printf(
                            "kafka: %d B, %s, %s and %s, rate by rate%n",
                            size, Results.SLUICE_KAFKA, Results.KAFKA_END_TO_END, Results.PRODUCER);
                    // Gently: a backlog left by the warm-up would be drained into the first step.
                    sluiceBench.run("warm-up", size, 500, options.warmup());
                    endToEndBench.run("warm-up", size, 500, options.warmup());
                    producerBench.run("warm-up", size, 500, options.warmup());
                    Map<String, MessageBench> paths = new LinkedHashMap<>();
                    paths.put(Results.SLUICE_KAFKA, sluiceBench);
                    paths.put(Results.KAFKA_END_TO_END, endToEndBench);
                    paths.put(Results.PRODUCER, producerBench);
                    results.steps.addAll(MessageBench.stepUpTogether(paths, size, rates(options), options.stepTime()));
                }
                if (options.profile()) {
                    int size = options.sizes().get(0);
                    Profiles.atSaturation(
                            results,
                            "gateway, Kafka, " + size + " B",
                            gateway,
                            sluiceBench,
                            results.series(Results.SLUICE_KAFKA, size),
                            size,
                            options.stepTime(),
                            options.work().resolve("gateway-kafka.jfr"));
                }
                results.notes.add("Kafka rows: the server CPU of \"" + Results.SLUICE_KAFKA + "\" is the gateway's "
                        + "and the broker's together (its heap and RSS the gateway's alone), that of \""
                        + Results.KAFKA_END_TO_END + "\" and \"" + Results.PRODUCER + "\" the broker's; CPU µs/msg "
                        + "of Sluice minus the end-to-end baseline's is what the gateway adds per message. The "
                        + "producer's latency ends at the broker's ack (no consumer); the end-to-end baseline's at its "
                        + "consumer (same acks=all and idempotence, its own topic on the same broker, manual "
                        + "asynchronous commits after each poll); Sluice's at the recipient, through the broker and "
                        + "back.");
            }
        } finally {
            broker(options, "stop", "--data", brokerData.toString());
        }
    }

    /** The offered rates, starting lower than the embedded scenario's: the Kafka path saturates earlier. */
    private static List<Double> rates(BenchOptions options) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(500.0, 1_000.0), options.rates().stream())
                .distinct()
                .sorted()
                .toList();
    }

    private static void broker(BenchOptions options, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(script(options).toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        Files.createDirectories(options.work().resolve("logs"))
                                .resolve("kafka-sh.log")
                                .toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("kafka.sh " + String.join(" ", args) + " failed: see "
                    + options.work().resolve("logs/kafka-sh.log"));
        }
    }
}
