package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster of {@code examples/cluster} with {@code sluice.redis.wait-replicas=1} and a short
 * cluster-node-timeout (2 s), clients through HAProxy under load, and the Redis master holding the most keys killed
 * with -9 mid-load: its replica takes over, and nothing acked is lost (each ack waited for the write to reach the
 * replica) or reordered. The new master has no replica, so its shard answers unavailable until the killed node is
 * back (cluster.sh start), as its replica.
 */
class ClusterRedisFailoverIT {
    private static final int PAIRS = 9;
    private static final Duration LOAD_BEFORE = Duration.ofSeconds(6);
    private static final Duration LOAD_AFTER_FAILOVER = Duration.ofSeconds(8);

    @TempDir
    Path state;

    @Test
    void killingARedisMasterUnderLoadLosesNothingAckedWithWaitReplicas() throws Exception {
        Map<String, String> environment = Map.of(
                "SLUICE_CLUSTER_GATEWAY_OPTS", "-Dsluice.redis.wait-replicas=1",
                "SLUICE_CLUSTER_NODE_TIMEOUT", "2000");
        try (ClusterScript cluster = ClusterScript.start(state, environment);
                FailoverLoad load = FailoverLoad.start(cluster.uri(), PAIRS)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.acked() > 0);
            Thread.sleep(LOAD_BEFORE.toMillis()); // load runs meanwhile

            int victim = masterWithMostKeys(cluster);
            long ackedBefore = load.acked();
            long killedAt = System.nanoTime();
            cluster.kill9("redis-" + victim);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> liveMasters(cluster).size() == 3 && clusterOk(cluster));
            Duration failover = Duration.ofNanos(System.nanoTime() - killedAt);
            // The gateways are ready again once they serve every slot from the new master: HAProxy sends new
            // clients to all three.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> haproxyUp(cluster) == 3);
            Duration ready = Duration.ofNanos(System.nanoTime() - killedAt);

            // With wait-replicas=1 the promoted replica, now a master without a replica, refuses writes
            // (unavailable) until it has one again: start brings the killed node back, as its replica.
            cluster.run("start").requireSuccess("start");
            Duration restarted = Duration.ofNanos(System.nanoTime() - killedAt);
            long[] atRestart = load.ackedPerPair();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                long[] now = load.ackedPerPair();
                for (int i = 0; i < now.length; i++) {
                    if (now[i] <= atRestart[i]) {
                        return false;
                    }
                }
                return true;
            });
            Duration allSending = Duration.ofNanos(System.nanoTime() - killedAt);

            Thread.sleep(LOAD_AFTER_FAILOVER.toMillis()); // load runs on after the failover
            load.stopSending();
            boolean complete = load.awaitAllAckedDelivered(Duration.ofSeconds(60));
            FailoverLoad.Report report = load.report(killedAt);
            System.out.printf(
                    "ClusterRedisFailoverIT: redis-%d (master) killed after %d acks, replica promoted after %d ms,"
                            + " every gateway ready again after %d ms, killed node back as a replica after %d ms,"
                            + " every pair acked again after %d ms; %s%n",
                    victim,
                    ackedBefore,
                    failover.toMillis(),
                    ready.toMillis(),
                    restarted.toMillis(),
                    allSending.toMillis(),
                    report);

            assertThat(report.acked()).as("acked after the failover too").isGreaterThan(ackedBefore);
            assertThat(report.lost()).as("acked, never delivered").isZero();
            assertThat(complete).as("every acked message delivered").isTrue();
            assertThat(report.outOfOrder())
                    .as("delivered before a message accepted earlier")
                    .isZero();
        }
    }

    /** How many gateways HAProxy sends clients to now. */
    private static int haproxyUp(ClusterScript cluster) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.frontPort() + "/haproxy/up"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return Integer.parseInt(response.body().trim());
    }

    /** The master (index of its node, 0 to 5) that holds the most keys: the queues of the most recipients. */
    private static int masterWithMostKeys(ClusterScript cluster) throws Exception {
        int best = -1;
        long bestKeys = -1;
        for (int i : liveMasters(cluster)) {
            long keys = Long.parseLong(redisCli(cluster.redisPort(i), "DBSIZE").trim());
            if (keys > bestKeys) {
                best = i;
                bestKeys = keys;
            }
        }
        return best;
    }

    /** The nodes (0 to 5) that answer and are masters now. */
    private static List<Integer> liveMasters(ClusterScript cluster) throws Exception {
        List<Integer> masters = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String role = redisCli(cluster.redisPort(i), "ROLE");
            if (role.startsWith("master")) {
                masters.add(i);
            }
        }
        return masters;
    }

    private static boolean clusterOk(ClusterScript cluster) throws Exception {
        for (int i = 0; i < 6; i++) {
            String info = redisCli(cluster.redisPort(i), "CLUSTER", "INFO");
            if (!info.isEmpty()) {
                return info.contains("cluster_state:ok");
            }
        }
        return false;
    }

    /** What {@code redis-cli} printed, or nothing when the node does not answer. */
    private static String redisCli(int port, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS)
                || process.exitValue() != 0
                || output.startsWith("Could not connect")) {
            return "";
        }
        return output;
    }
}
