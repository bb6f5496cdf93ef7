package io.sluice.gateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch started = new CountDownLatch(1);

    private GatewayProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread.ofPlatform().daemon().name("gateway-output").start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    output.add(line);
                    if (line.contains("event=started")) {
                        started.countDown();
                    }
                }
            } catch (IOException e) {
                output.add("<output lost: " + e + ">");
            }
        });
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
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-Dsluice.host=127.0.0.1");
        command.add("-Dsluice.port=" + port);
        command.add("-Dsluice.data-dir=" + dataDir);
        settings.forEach((k, v) -> {
            if (!k.equals("sluice.port")) {
                command.add("-D" + k + "=" + v);
            }
        });
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("SLUICE_"));
        return new GatewayProcess(builder.start(), port);
    }

    /** Launches the jar and waits until it accepts connections. */
    public static GatewayProcess start(Path dataDir, Map<String, String> settings) throws Exception {
        GatewayProcess gateway = launch(dataDir, settings);
        if (!gateway.started.await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            gateway.close();
            throw new IllegalStateException("the gateway did not start within " + START_TIMEOUT + ":\n"
                    + String.join("\n", gateway.output()));
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

    /** The process, for its pid and exit code. */
    public Process process() {
        return process;
    }

    /** Every line it printed so far. */
    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
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
    }
}
