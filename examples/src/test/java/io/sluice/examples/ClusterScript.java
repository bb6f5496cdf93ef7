package io.sluice.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code examples/cluster/cluster.sh} run by a test: its state in a directory of the test and every port it opens
 * free on 127.0.0.1 (the shared Redis and HAProxy ports are never touched). {@link #close()} stops it.
 */
final class ClusterScript implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

    private final Path state;
    private final Map<String, String> environment;
    private final int frontPort;
    private final int redisPort;
    private final int gatewayPort;
    private final int adminPort;

    private ClusterScript(Path state, Map<String, String> extra) throws IOException {
        this.state = state;
        this.redisPort = freeRedisBase();
        // Apart, so that the three ranges cannot overlap.
        this.gatewayPort = freeRange(3, 40_000, 43_000);
        this.adminPort = freeRange(3, 43_000, 46_000);
        this.frontPort = freeRange(1, 46_000, 49_000);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SLUICE_CLUSTER_DIR", state.toString());
        env.put("SLUICE_CLUSTER_PORT", Integer.toString(frontPort));
        env.put("SLUICE_CLUSTER_REDIS_PORT", Integer.toString(redisPort));
        env.put("SLUICE_CLUSTER_GATEWAY_PORT", Integer.toString(gatewayPort));
        env.put("SLUICE_CLUSTER_ADMIN_PORT", Integer.toString(adminPort));
        env.put(
                "SLUICE_CLUSTER_OWNER_PID",
                Long.toString(ProcessHandle.current().pid()));
        env.putAll(extra);
        this.environment = env;
    }

    /** Runs {@code cluster.sh start} with these extra environment variables, and returns once it serves. */
    static ClusterScript start(Path state, Map<String, String> extra) throws Exception {
        ClusterScript cluster = new ClusterScript(state, extra);
        try {
            cluster.run("start").requireSuccess("start");
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The script. */
    static Path script() {
        return Examples.root().resolve("examples/cluster/cluster.sh");
    }

    /** What one run of the script printed, and its exit code. */
    record Result(int exitCode, String output) {
        Result requireSuccess(String command) {
            if (exitCode != 0) {
                throw new IllegalStateException("cluster.sh " + command + " exited " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    /** Runs {@code cluster.sh <command>} with this cluster's environment. */
    Result run(String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", script().toString(), command)
                .directory(Examples.root().toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Path output = Files.createTempFile("cluster-sh-", ".out");
        try {
            Process process = builder.redirectOutput(output.toFile()).start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("cluster.sh " + command + " did not end within " + COMMAND_TIMEOUT
                        + ":\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Where clients connect: HAProxy. */
    URI uri() {
        return URI.create("ws://127.0.0.1:" + frontPort + "/api");
    }

    /** The admin endpoints of gateway {@code n} (1 to 3). */
    URI adminUri(int n) {
        return URI.create("http://127.0.0.1:" + (adminPort + n - 1));
    }

    /** Gateway {@code n}'s client port (1 to 3). */
    int gatewayPort(int n) {
        return gatewayPort + n - 1;
    }

    /** The port of Redis node {@code i} (0 to 5; 0 to 2 are the masters as created). */
    int redisPort(int i) {
        return redisPort + i;
    }

    /** HAProxy's port. */
    int frontPort() {
        return frontPort;
    }

    /** The state directory. */
    Path state() {
        return state;
    }

    /** Every pid file's process: name ({@code redis-0}, {@code gateway-1}, {@code haproxy}, …) to pid. */
    Map<String, Long> pids() throws IOException {
        Map<String, Long> pids = new HashMap<>();
        Path run = state.resolve("run");
        if (!Files.isDirectory(run)) {
            return pids;
        }
        try (var files = Files.list(run)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                String name = file.getFileName().toString().replace(".pid", "");
                pids.put(name, Long.parseLong(Files.readString(file).trim()));
            }
        }
        return pids;
    }

    /** Kills process {@code name} of the cluster with SIGKILL and waits until it is gone. */
    void kill9(String name) throws Exception {
        long pid = pids().get(name);
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(name + " is gone"));
        Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(pid))
                .inheritIO()
                .start();
        kill.waitFor();
        handle.onExit().get(30, TimeUnit.SECONDS);
    }

    /** The last lines of a process's log ({@code logs/<name>.log}), for failure messages. */
    String log(String name) {
        try {
            List<String> lines = Files.readAllLines(state.resolve("logs").resolve(name + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 50), lines.size()));
        } catch (IOException e) {
            return "<no log: " + e + ">";
        }
    }

    /** Runs {@code cluster.sh stop}. */
    @Override
    public void close() throws Exception {
        run("stop").requireSuccess("stop");
    }

    /** A base port whose six ports, and their cluster bus ports (+ 10000), are free. */
    private static int freeRedisBase() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 29_990);
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ports.add(base + i);
                ports.add(base + i + 10_000);
            }
            if (ports.stream().allMatch(ClusterScript::isFree)) {
                return base;
            }
        }
        throw new IOException("no six free ports for Redis");
    }

    private static int freeRange(int count, int from, int to) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(from, to - count);
            boolean free = true;
            for (int i = 0; i < count && free; i++) {
                free = isFree(base + i);
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no " + count + " free ports");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
