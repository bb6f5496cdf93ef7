package io.sluice.testing.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of a test: {@code masters} masters, each with {@code replicasPerMaster} replicas, every node a
 * {@link RedisServer} on a free port, joined with {@code redis-cli --cluster create}. Returns once every slot is
 * served.
 */
public final class RedisClusterServers implements AutoCloseable {

    private final List<RedisServer> nodes;

    private RedisClusterServers(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    /** Starts and joins the cluster; its nodes keep nothing on disk. */
    public static RedisClusterServers start(int masters, int replicasPerMaster) {
        return start(masters, replicasPerMaster, null);
    }

    /**
     * Starts and joins the cluster. Nodes keep nothing on disk unless {@code appendfsync} names one ({@code always},
     * {@code everysec}, {@code no}): then each keeps an append-only file, and what was written survives {@link
     * #restartAll()}.
     */
    public static RedisClusterServers start(int masters, int replicasPerMaster, String appendfsync) {
        List<RedisServer> nodes = new ArrayList<>();
        int count = masters * (1 + replicasPerMaster);
        try {
            for (int i = 0; i < count; i++) {
                List<String> persistence = appendfsync == null
                        ? List.of("--appendonly", "no")
                        : List.of("--appendonly", "yes", "--appendfsync", appendfsync);
                List<String> options = new ArrayList<>(List.of("--save", ""));
                options.addAll(persistence);
                options.addAll(List.of(
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        "nodes.conf",
                        "--cluster-node-timeout",
                        "2000"));
                nodes.add(RedisServer.start(options));
            }
            List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
            command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
            Process create =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(create.getInputStream().readAllBytes());
            if (create.waitFor() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
            }
            RedisClusterServers cluster = new RedisClusterServers(nodes);
            cluster.awaitHealthy();
            return cluster;
        } catch (Exception e) {
            nodes.forEach(RedisServer::close);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e);
        }
    }

    /** Every node, masters first as created. */
    public List<RedisServer> nodes() {
        return nodes;
    }

    /** A seed URI, for {@code sluice.redis.uri} with {@code sluice.redis.cluster=true}. */
    public String uri() {
        return nodes.getFirst().uri();
    }

    /** The nodes that are masters now (from CLUSTER NODES of a live node). */
    public List<RedisServer> masters() {
        String description = liveNode().command("CLUSTER", "NODES");
        List<Integer> ports = description
                .lines()
                .filter(line -> line.contains("master") && !line.contains("fail"))
                .map(line -> Integer.parseInt(line.split(" ")[1].split("[:@]")[1]))
                .toList();
        return nodes.stream().filter(node -> ports.contains(node.port())).collect(Collectors.toList());
    }

    /** Kills every node with -9. */
    public void killAll() {
        nodes.forEach(RedisServer::kill9);
    }

    /** Starts every node again on its port and directory (its {@code nodes.conf}), and waits until healthy. */
    public void restartAll() {
        nodes.forEach(RedisServer::restart);
        awaitHealthy();
    }

    /** Waits until the cluster reports {@code cluster_state:ok} on every live node. */
    public void awaitHealthy() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean ok = nodes.stream().filter(RedisServer::isAlive).allMatch(node -> {
                try {
                    return node.command("CLUSTER", "INFO").contains("cluster_state:ok");
                } catch (RuntimeException e) {
                    return false;
                }
            });
            if (ok) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the Redis Cluster did not become healthy within 30 s");
    }

    private RedisServer liveNode() {
        return nodes.stream()
                .filter(RedisServer::isAlive)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no live node"));
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
