package io.sluice.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of this run's own on a free port of 127.0.0.1, with nothing on disk (no RDB, no AOF),
 * never the machine's shared one. Stops with SIGTERM, then SIGKILL.
 */
final class RedisProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private RedisProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The redis-server binary on the PATH, or null. */
    static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Starts one and waits until it accepts connections. */
    static RedisProcess start(Path dir, Path logDir) throws IOException, InterruptedException {
        Path binary = binary();
        if (binary == null) {
            throw new IllegalStateException("no redis-server on the PATH");
        }
        Files.createDirectories(dir);
        Files.createDirectories(logDir);
        int port = ServerProcess.freePort();
        Path log = logDir.resolve("redis-" + port + ".log");
        Process process = new ProcessBuilder(List.of(
                        binary.toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString(),
                        "--maxclients",
                        "1000"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        RedisProcess redis = new RedisProcess(process, port, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return redis;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        redis.close();
        throw new IllegalStateException("redis-server did not listen within 20 s: see " + log);
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    ProcessProbe probe() {
        return new ProcessProbe(process.pid());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
