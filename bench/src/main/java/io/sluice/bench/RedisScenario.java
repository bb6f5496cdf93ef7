package io.sluice.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario {@code redis}: messages through the Redis queue ({@code sluice.queue.type=redis},
 * {@code routes/redis.yaml}) on one gateway and across three gateways sharing it (senders on one, their
 * recipients on another), next to {@link RedisBarePath}, the same Redis commands per message from one
 * pipelined client with no gateway. All against a redis-server this run starts on a free port and stops.
 * Skipped, with the reason, while the gateway jar has no Redis queue or there is no redis-server.
 */
final class RedisScenario {
    static final int GATEWAYS = 3;
    private static final String PROVIDER = "io/sluice/connector/redis/RedisQueueProvider.class";
    private static final String SCRIPTS = "io/sluice/connector/redis/";

    private RedisScenario() {}

    /** Why the scenario cannot run on this tree, or null when it can. */
    static String missing(BenchOptions options) throws IOException {
        if (RedisProcess.binary() == null) {
            return "no redis-server on the PATH (scripts/services.sh installs it)";
        }
        if (!GatewayJar.contains(options.gatewayJar(), PROVIDER)
                || !GatewayJar.contains(options.gatewayJar(), SCRIPTS + "enqueue.lua")) {
            return "sluice.queue.type=redis is not available: the gateway jar has no Redis MessageQueue "
                    + "(branch redis-queue, issue 10, is not merged into this branch yet)";
        }
        if (!GatewayJar.contains(options.gatewayJar(), "routes/redis.yaml")
                && !Files.isRegularFile(options.root().resolve("routes/redis.yaml"))) {
            return "routes/redis.yaml is not on this branch";
        }
        return null;
    }

    static void run(Results results) throws Exception {
        BenchOptions options = results.options;
        String missing = missing(options);
        if (missing != null) {
            results.skip("redis", missing);
            return;
        }
        Path logs = options.work().resolve("logs");
        String routes = GatewayJar.contains(options.gatewayJar(), "routes/redis.yaml")
                ? "classpath:routes/redis.yaml"
                : options.root().resolve("routes/redis.yaml").toString();
        int largest = options.sizes().stream().mapToInt(Integer::intValue).max().orElse(256);
        Deliveries sink = new Deliveries(largest);
        List<ServerProcess> gateways = new ArrayList<>();
        try (RedisProcess redis =
                RedisProcess.start(Workspace.fresh(options.work().resolve("redis-data")), logs)) {
            try {
                run(results, redis, gateways, routes, sink);
            } finally {
                // The gateways first: Redis gone under them would only fill their logs.
                for (ServerProcess gateway : gateways) {
                    gateway.close();
                }
            }
        }
    }

    private static void run(
            Results results, RedisProcess redis, List<ServerProcess> gateways, String routes, Deliveries sink)
            throws Exception {
        BenchOptions options = results.options;
        Path logs = options.work().resolve("logs");
        System.out.printf("redis: redis-server on %s, %d gateways on it%n", redis.uri(), GATEWAYS);
        for (int i = 0; i < GATEWAYS; i++) {
            ServerProcess.GatewayLaunch launch = new ServerProcess.GatewayLaunch(
                    options.gatewayJar(),
                    List.of(),
                    GatewaySettings.with(Map.of(
                            "sluice.queue.type", "redis", "sluice.redis.uri", redis.uri(), "sluice.routes", routes)),
                    Workspace.fresh(options.work().resolve("redis-gateway-" + i + "-data")),
                    options.serverJvm());
            gateways.add(ServerProcess.launchGateway("gateway-redis-" + i, launch, logs));
        }
        for (ServerProcess gateway : gateways) {
            gateway.awaitStarted(Duration.ofSeconds(120));
        }
        List<URI> uris = gateways.stream().map(ServerProcess::uri).toList();
        List<ProcessProbe> gatewayProbes =
                gateways.stream().map(ServerProcess::probe).toList();
        ProcessProbe redisProbe = redis.probe();
        List<ProcessProbe> allCpu = new ArrayList<>(gatewayProbes);
        allCpu.add(redisProbe);
        byte[] enqueue = GatewayJar.read(options.gatewayJar(), SCRIPTS + "enqueue.lua");
        byte[] acknowledge = GatewayJar.read(options.gatewayJar(), SCRIPTS + "acknowledge.lua");
        try (SluicePath one = SluicePath.open(uris.subList(0, 1), options.senders(), options.recipients(), sink);
                SluicePath three = SluicePath.open(uris, options.senders(), options.recipients(), sink);
                RedisBarePath bare = new RedisBarePath(redis.uri(), enqueue, acknowledge, options.recipients(), sink)) {
            // Server CPU: the gateways' and Redis's together (the idle gateways of the one-gateway path cost
            // next to nothing); the baseline's: Redis's (its client is in the load generator).
            MessageBench oneBench = new MessageBench(
                    one,
                    sink,
                    ServerSide.of(List.of(gatewayProbes.get(0), redisProbe), gatewayProbes.subList(0, 1)),
                    options.pacers(),
                    MessagesScenario.DRAIN);
            MessageBench threeBench = new MessageBench(
                    three, sink, ServerSide.of(allCpu, gatewayProbes), options.pacers(), MessagesScenario.DRAIN);
            MessageBench bareBench = new MessageBench(
                    bare,
                    sink,
                    ServerSide.of(List.of(redisProbe), List.of()),
                    options.pacers(),
                    MessagesScenario.DRAIN);
            for (int size : options.sizes()) {
                System.out.printf(
                        "redis: %d B, %s, %s and %s, rate by rate%n",
                        size, Results.SLUICE_REDIS, Results.SLUICE_REDIS_3, Results.REDIS_BARE);
                oneBench.run("warm-up", size, 2_000, options.warmup());
                // Longer: two of its three gateways carry nothing else, so their JIT starts cold here.
                threeBench.run("warm-up", size, 2_000, options.warmup().multipliedBy(3));
                bareBench.run("warm-up", size, 2_000, options.warmup());
                Map<String, MessageBench> paths = new LinkedHashMap<>();
                paths.put(Results.SLUICE_REDIS, oneBench);
                paths.put(Results.SLUICE_REDIS_3, threeBench);
                paths.put(Results.REDIS_BARE, bareBench);
                results.steps.addAll(MessageBench.stepUpTogether(paths, size, options.rates(), options.stepTime()));
            }
        }
        results.notes.add("Redis rows: one redis-server of the run's own (no RDB, no AOF). The server CPU of \""
                + Results.SLUICE_REDIS + "\" is its gateway's and Redis's together, of \"" + Results.SLUICE_REDIS_3
                + "\" the three gateways' and Redis's (senders on gateway i mod 3, their recipients on the next "
                + "one, so every message crosses gateways through Redis), of \"" + Results.REDIS_BARE
                + "\" Redis's alone (its one Lettuce connection runs in the load generator); heap and RSS are "
                + "the gateways'. The baseline runs, per message, the queue's own enqueue.lua (EVALSHA), the "
                + "read (ZRANGEBYSCORE) once it answered, and acknowledge.lua, pipelined on one connection.");
    }
}
