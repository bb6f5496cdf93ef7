package io.sluice.gateway.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway jar ({@code gateway/target/sluice-gateway.jar}) in its own process, for tests that kill it
 * or check how it starts. Output is kept for assertions and printed on failure.
 *
 * <pre>{@code
 * try (GatewayProcess gateway = GatewayProcess.start(dataDir, Map.of())) {
 *     ... gateway.uri() ...
 *     gateway.kill9();
 * }
 * }</pre>
 */
public final class GatewayProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final int adminPort;
    // A file rather than a pipe: reading a pipe while the process exits can lose its last lines ("Stream
    // closed"), and the last lines are what shutdown tests look at.
    private final Path log;

    private GatewayProcess(Process process, int port, int adminPort, Path log) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.log = log;
    }

    /** The gateway jar built by this project. */
    public static Path jar() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("gateway/target/sluice-gateway.jar");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            if (Files.isRegularFile(dir.resolve("target/sluice-gateway.jar"))
                    && dir.getFileName().toString().equals("gateway")) {
                return dir.resolve("target/sluice-gateway.jar");
            }
        }
        throw new IllegalStateException("gateway/target/sluice-gateway.jar is not built: run mvn package first");
    }

    /** Launches the jar with these system properties, without waiting for it. */
    public static GatewayProcess launch(Path dataDir, Map<String, String> settings) throws IOException {
        return launch(dataDir, settings, List.of());
    }

    /**
     * Launches the jar with these system properties and command-line arguments ({@code routes}, …), without
     * waiting for it.
     */
    public static GatewayProcess launch(Path dataDir, Map<String, String> settings, List<String> args)
            throws IOException {
        int port = settings.containsKey("sluice.port") ? Integer.parseInt(settings.get("sluice.port")) : freePort();
        int adminPort = settings.containsKey("sluice.admin.port")
                ? Integer.parseInt(settings.get("sluice.admin.port"))
                : freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-Dsluice.host=127.0.0.1");
        command.add("-Dsluice.port=" + port);
        command.add("-Dsluice.admin.port=" + adminPort);
        command.add("-Dsluice.data-dir=" + dataDir);
        settings.forEach((k, v) -> {
            if (!k.equals("sluice.port") && !k.equals("sluice.admin.port")) {
                command.add("-D" + k + "=" + v);
            }
        });
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(args);
        Path log = Files.createTempFile("sluice-gateway-", ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("SLUICE_"));
        return new GatewayProcess(builder.start(), port, adminPort, log);
    }

    /** Launches the jar and waits until it accepts connections. */
    public static GatewayProcess start(Path dataDir, Map<String, String> settings) throws Exception {
        GatewayProcess gateway = launch(dataDir, settings);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        // event=started in text logs, "event":"started" in JSON ones.
        while (gateway.output().stream()
                .noneMatch(l -> l.contains("event=started") || l.contains("\"event\":\"started\""))) {
            if (!gateway.process.isAlive() || System.nanoTime() > deadline) {
                String output = String.join("\n", gateway.output());
                gateway.close();
                throw new IllegalStateException("the gateway did not start within " + START_TIMEOUT + ":\n" + output);
            }
            Thread.sleep(50);
        }
        return gateway;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Where clients connect. */
    public URI uri() {
        return URI.create("ws://127.0.0.1:" + port + "/api");
    }

    /** The admin endpoints' base, {@code http://127.0.0.1:<port>}. */
    public URI adminUri() {
        return URI.create("http://127.0.0.1:" + adminPort);
    }

    /** The process, for its pid and exit code. */
    public Process process() {
        return process;
    }

    /** Every line it printed so far. */
    public List<String> output() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of("<output unreadable: " + e + ">");
        }
    }

    /** Waits for the process to exit and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the gateway did not exit within " + timeout);
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: a graceful stop. */
    public void terminate() {
        process.destroy();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill9();
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temp file: left for the OS to clean
        }
    }
}
