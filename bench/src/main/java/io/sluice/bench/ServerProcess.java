package io.sluice.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A server under measurement in its own JVM: the gateway jar or a baseline. Its output goes to a log file,
 * which is also how readiness is seen ({@code event=started}). Stops with SIGTERM, then SIGKILL.
 */
final class ServerProcess implements AutoCloseable {
    private static final String READY = "event=started";

    private final String name;
    private final Process process;
    private final int port;
    private final String path;
    private final Path log;
    private final ProcessProbe probe;

    private ServerProcess(String name, Process process, int port, String path, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.path = path;
        this.log = log;
        this.probe = new ProcessProbe(process.pid());
    }

    /** How to launch the gateway: the jar, optional extra class path (connectors), settings. */
    record GatewayLaunch(
            Path jar, List<Path> extraClassPath, Map<String, String> settings, Path dataDir, List<String> jvmFlags) {}

    /**
     * Launches the gateway without waiting. With no extra class path it runs exactly as users do,
     * {@code java -jar sluice-gateway.jar}; with one, from the class path with the same main class.
     */
    static ServerProcess launchGateway(String name, GatewayLaunch launch, Path logDir) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(launch.jvmFlags());
        command.add("-Dsluice.host=127.0.0.1");
        command.add("-Dsluice.port=" + port);
        command.add("-Dsluice.data-dir=" + launch.dataDir());
        // The admin endpoint on a free port too: several gateways run at once, and 9090 may be another's.
        if (!launch.settings().containsKey("sluice.admin.port")) {
            command.add("-Dsluice.admin.port=" + freePort());
        }
        launch.settings().forEach((k, v) -> command.add("-D" + k + "=" + v));
        if (launch.extraClassPath().isEmpty()) {
            command.add("-jar");
            command.add(launch.jar().toString());
        } else {
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("-cp");
            List<Path> classPath = new ArrayList<>();
            classPath.add(launch.jar());
            classPath.addAll(launch.extraClassPath());
            command.add(classPath.stream().map(Path::toString).collect(Collectors.joining(":")));
            command.add("io.sluice.gateway.Main");
        }
        return launch(name, command, port, "/api", logDir);
    }

    /** Launches a main class of this jar (a baseline server) with the port as its first argument. */
    static ServerProcess launchMain(String name, Class<?> main, List<String> jvmFlags, List<String> args, Path logDir)
            throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.add(Integer.toString(port));
        command.addAll(args);
        return launch(name, command, port, "/echo", logDir);
    }

    private static ServerProcess launch(String name, List<String> command, int port, String path, Path logDir)
            throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("SLUICE_"));
        return new ServerProcess(name, builder.start(), port, path, log);
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits until the server logged that it started. */
    ServerProcess awaitStarted(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(READY)) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            Thread.sleep(10);
        }
        close();
        throw new IllegalStateException(name + " did not start within " + timeout + ":\n" + tail());
    }

    /** The last lines it printed. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "<no output: " + e + ">";
        }
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    ProcessProbe probe() {
        return probe;
    }

    Process process() {
        return process;
    }

    /** Starts a JFR recording with the profiling settings. */
    void startProfile() throws IOException, InterruptedException {
        jcmd("JFR.start", "name=bench", "settings=profile");
    }

    /** Stops the recording and writes it to {@code file}. */
    void stopProfile(Path file) throws IOException, InterruptedException {
        jcmd("JFR.stop", "name=bench", "filename=" + file.toAbsolutePath());
    }

    private void jcmd(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.add(Long.toString(process.pid()));
        command.addAll(List.of(args));
        Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", args) + " failed: " + out);
        }
    }

    @Override
    public void close() throws InterruptedException {
        probe.close();
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
