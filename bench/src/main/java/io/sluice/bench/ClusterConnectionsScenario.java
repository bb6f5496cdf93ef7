package io.sluice.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Scenario {@code cluster-connections}: authenticated idle connections across several gateway processes on this
 * machine, so that the total is not bounded by one process's open-file limit. Each gateway runs on the embedded
 * queue with its own data directory (the login path is what is measured), and each has its own load-generator
 * process ({@link ConnectionHolder}, its own JVM and its own open-file limit) holding its share. Heap per
 * connection is, per gateway, the growth of its live heap (after full collections) over the connections it
 * holds.
 */
final class ClusterConnectionsScenario {
    private static final Duration TIME_LIMIT = Duration.ofMinutes(20);

    private ClusterConnectionsScenario() {}

    /** One gateway and its load generator. */
    record Gateway(
            int index,
            int asked,
            int held,
            long failed,
            long retried,
            double openSeconds,
            long heapBeforeBytes,
            long heapAfterBytes,
            long rssBeforeBytes,
            long rssAfterBytes,
            long loadgenHeapPerConnection,
            String firstFailure)
            implements ConnectionBench.HeldConnections {}

    /** The whole: what was asked, the JVM flags used, and each gateway. */
    record Result(int asked, List<String> gatewayJvm, List<String> loadgenJvm, double seconds, List<Gateway> gateways) {
        int held() {
            return gateways.stream().mapToInt(Gateway::held).sum();
        }

        long failed() {
            return gateways.stream().mapToLong(Gateway::failed).sum();
        }
    }

    static void run(Results results) throws Exception {
        BenchOptions options = results.options;
        int count = options.gateways();
        int total = options.clusterConnections();
        int per = (total + count - 1) / count;
        long fdLimit = ProcessProbe.self().openFileLimit();
        if (per > fdLimit - ConnectionBench.FD_RESERVE) {
            throw new IllegalArgumentException(String.format(
                    "%,d connections over %d gateways is %,d a process, over the open-file limit %,d less %d kept "
                            + "back: give more --gateways",
                    total, count, per, fdLimit, ConnectionBench.FD_RESERVE));
        }
        // Sized to the share: about 10 KB live per connection on a gateway, 14 KB on a load generator, with room
        // for the garbage of logging in; never the 3 GB of the message scenarios, times twelve.
        List<String> gatewayJvm = List.of("-Xms256m", "-Xmx" + Math.max(512, 256 + per * 48L / 1024) + "m");
        List<String> loadgenJvm = List.of("-Xms128m", "-Xmx" + Math.max(384, 256 + per * 40L / 1024) + "m");
        Path logs = options.work().resolve("logs");
        System.out.printf(
                "cluster-connections: %,d authenticated idle connections over %d gateways (%,d each, gateways %s, "
                        + "load generators %s)%n",
                total, count, per, String.join(" ", gatewayJvm), String.join(" ", loadgenJvm));
        List<ServerProcess> gateways = new ArrayList<>();
        List<Process> holders = new ArrayList<>();
        try {
            for (int g = 0; g < count; g++) {
                ServerProcess.GatewayLaunch launch = new ServerProcess.GatewayLaunch(
                        options.gatewayJar(),
                        List.of(),
                        GatewaySettings.with(Map.of()),
                        Workspace.fresh(options.work().resolve("cluster-connections-data-" + g)),
                        gatewayJvm);
                gateways.add(ServerProcess.launchGateway("gateway-cluster-" + g, launch, logs));
            }
            for (ServerProcess gateway : gateways) {
                gateway.awaitStarted(Duration.ofSeconds(180));
            }
            long[] heapBefore = new long[count];
            long[] rssBefore = new long[count];
            for (int g = 0; g < count; g++) {
                heapBefore[g] = gateways.get(g).probe().liveHeapBytes();
                rssBefore[g] = gateways.get(g).probe().rssBytes();
            }
            long start = System.nanoTime();
            List<CompletableFuture<String>> reports = new ArrayList<>();
            int addressesEach = (per + ConnectionBench.PER_ADDRESS - 1) / ConnectionBench.PER_ADDRESS;
            for (int g = 0; g < count; g++) {
                int asked = Math.min(per, total - g * per);
                List<String> command = new ArrayList<>();
                command.add(ServerProcess.java());
                command.addAll(loadgenJvm);
                command.add("-cp");
                command.add(System.getProperty("java.class.path"));
                command.add(ConnectionHolder.class.getName());
                command.add(gateways.get(g).uri().toString());
                command.add(Integer.toString(Math.max(0, asked)));
                command.add(Integer.toString(g * addressesEach));
                Process holder =
                        new ProcessBuilder(command).redirectErrorStream(true).start();
                holders.add(holder);
                reports.add(report(holder, "loadgen-" + g));
            }
            List<String> lines = new ArrayList<>();
            long deadline = start + TIME_LIMIT.toNanos();
            for (CompletableFuture<String> report : reports) {
                try {
                    lines.add(report.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (TimeoutException e) {
                    throw new IllegalStateException("a load generator did not finish within " + TIME_LIMIT);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(2_000);
            List<Gateway> rows = new ArrayList<>();
            for (int g = 0; g < count; g++) {
                String[] f = lines.get(g).split(" ", 7);
                ProcessProbe probe = gateways.get(g).probe();
                rows.add(new Gateway(
                        g,
                        Math.max(0, Math.min(per, total - g * per)),
                        Integer.parseInt(f[1]),
                        Long.parseLong(f[2]),
                        Long.parseLong(f[5]),
                        Double.parseDouble(f[3]),
                        heapBefore[g],
                        probe.liveHeapBytes(),
                        rssBefore[g],
                        probe.rssBytes(),
                        Long.parseLong(f[4]),
                        f[6].equals("-") ? null : f[6]));
            }
            Result result = new Result(total, gatewayJvm, loadgenJvm, seconds, rows);
            for (Gateway row : rows) {
                System.out.printf(
                        "  gateway %d: %,d held, %,d failed (%,d attempted again), heap %s per connection, RSS %s per connection%n",
                        row.index(),
                        row.held(),
                        row.failed(),
                        row.retried(),
                        Report.kb(row.heapPerConnection()),
                        Report.kb(row.rssPerConnection()));
            }
            System.out.printf(
                    "cluster-connections: %,d held of %,d over %d gateways, %,d failed, %.1f s to open%n",
                    result.held(), total, count, result.failed(), seconds);
            results.clusterConnections = result;
        } finally {
            for (Process holder : holders) {
                holder.getOutputStream().close();
            }
            for (Process holder : holders) {
                if (!holder.waitFor(60, TimeUnit.SECONDS)) {
                    holder.destroyForcibly();
                }
            }
            for (ServerProcess gateway : gateways) {
                gateway.close();
            }
        }
    }

    /** Echoes a load generator's progress and completes with its {@code held ...} line. */
    private static CompletableFuture<String> report(Process holder, String name) {
        CompletableFuture<String> held = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name(name).start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("held ")) {
                        held.complete(line);
                    } else {
                        System.out.println("  " + name + ": " + line);
                    }
                }
                held.completeExceptionally(
                        new IllegalStateException(name + " exited with " + holder.waitFor() + " before it held"));
            } catch (IOException | InterruptedException e) {
                held.completeExceptionally(e);
            }
        });
        return held;
    }
}
