package io.sluice.testing.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code redis-server} process of a test, on a free port of 127.0.0.1 in a directory of its own. It can be
 * killed with -9 and started again on the same port and directory, so what it kept on disk (AOF) comes back.
 */
public final class RedisServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final List<String> options;
    private Process process;

    private RedisServer(Path dir, int port, List<String> options) {
        this.dir = dir;
        this.port = port;
        this.options = List.copyOf(options);
    }

    /** Starts a server that keeps nothing on disk. */
    public static RedisServer start() {
        return start(List.of("--save", "", "--appendonly", "no"));
    }

    /** Starts a server with an append-only file fsynced as {@code appendfsync} says ({@code always}, ...). */
    public static RedisServer startWithAof(String appendfsync) {
        return start(List.of("--save", "", "--appendonly", "yes", "--appendfsync", appendfsync));
    }

    /** Starts a server with these extra {@code redis-server} options. */
    public static RedisServer start(List<String> options) {
        try {
            RedisServer server = new RedisServer(Files.createTempDirectory("sluice-redis-"), freePort(), options);
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** Its URI, for {@code sluice.redis.uri}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Its directory, where the AOF lives. */
    public Path dir() {
        return dir;
    }

    /** Kills the process with -9 and waits for it to be gone. */
    public void kill9() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the process with SIGSTOP: it keeps its connections open but answers nothing until {@link #resume()}. */
    public void suspend() {
        signal("-STOP");
    }

    /** Lets a {@link #suspend() suspended} process run again (SIGCONT). */
    public void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " failed for redis-server on port " + port);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts it again, on the same port and directory. */
    public void restart() {
        kill9();
        startProcess();
    }

    /** Whether the process is running. */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Sends one command over a plain socket and returns the first line of the reply, for set-up steps. */
    public String command(String... words) {
        return command(port, words);
    }

    static String command(int port, String... words) {
        StringBuilder request = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            request.append('$')
                    .append(word.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n")
                    .append(word)
                    .append("\r\n");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (line.length() > 0 && line.charAt(0) == '$' && !line.toString().equals("$-1")) {
                int length = Integer.parseInt(line.substring(1));
                byte[] body = in.readNBytes(length);
                return new String(body, StandardCharsets.UTF_8);
            }
            return line.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startProcess() {
        List<String> command = new ArrayList<>(List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--daemonize",
                "no",
                "--logfile",
                dir.resolve("redis.log").toString()));
        command.addAll(options);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server (is it installed? scripts/services.sh)", e);
        }
        // A test JVM that ends without closing its servers (a crash, a static field) takes them along.
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        awaitAnswering(Duration.ofSeconds(20));
    }

    private void awaitAnswering(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                String reply = command("PING");
                if (reply.equals("+PONG")) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server on port " + port + " did not start; see " + dir);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        kill9();
    }
}
