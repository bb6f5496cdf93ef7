package io.sluice.testing.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one Kafka broker of this JVM: the one named by {@value #BROKERS_VARIABLE} when it answers, otherwise one
 * started through {@link KafkaScript} on free ports with a temporary data directory, and stopped when the JVM
 * ends.
 */
final class KafkaBroker {

    /** A system property or environment variable with the bootstrap servers of a broker to use. */
    static final String BROKERS_VARIABLE = "SLUICE_KAFKA_BROKERS";

    private static final System.Logger LOG = System.getLogger(KafkaBroker.class.getName());
    // The first start on a fresh machine fetches the broker's jars with Maven.
    private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private static KafkaBroker instance;

    private final String bootstrapServers;
    private final KafkaScript script;
    private final Path dataDir;
    private boolean running;

    private KafkaBroker(String bootstrapServers, KafkaScript script, Path dataDir) {
        this.bootstrapServers = bootstrapServers;
        this.script = script;
        this.dataDir = dataDir;
        this.running = true;
    }

    /** The broker of this JVM, started on first use. */
    static synchronized KafkaBroker get() {
        if (instance == null) {
            instance = answering(KafkaScript.setting(BROKERS_VARIABLE))
                    .map(servers -> new KafkaBroker(servers, null, null))
                    .orElseGet(KafkaBroker::startOwn);
        }
        return instance;
    }

    /**
     * The configured bootstrap servers when at least one of them accepts a connection.
     *
     * @param configured {@code host:port[,host:port...]}, or {@code null}
     */
    static Optional<String> answering(String configured) {
        if (configured == null || configured.isBlank()) {
            return Optional.empty();
        }
        boolean answers =
                Arrays.stream(configured.split(",")).map(String::strip).anyMatch(KafkaBroker::accepts);
        if (!answers) {
            LOG.log(
                    Level.WARNING,
                    () -> BROKERS_VARIABLE + ": " + configured
                            + " does not answer; starting a broker for this JVM instead");
            return Optional.empty();
        }
        return Optional.of(configured.strip());
    }

    private static KafkaBroker startOwn() {
        KafkaScript script = KafkaScript.locate();
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("sluice-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a data directory for the Kafka broker", e);
        }
        int port = freePort();
        int controllerPort = freePort();
        while (controllerPort == port) {
            controllerPort = freePort();
        }
        long began = System.nanoTime();
        String printed;
        try {
            printed = script.run(
                    START_TIMEOUT,
                    "start",
                    "--port",
                    Integer.toString(port),
                    "--controller-port",
                    Integer.toString(controllerPort),
                    "--data",
                    dataDir.toString(),
                    "--owner-pid",
                    Long.toString(ProcessHandle.current().pid()));
        } catch (RuntimeException e) {
            // The script stops a broker that did not come up; what it wrote is of no further use.
            deleteTree(dataDir);
            throw e;
        }
        long millis = Duration.ofNanos(System.nanoTime() - began).toMillis();
        LOG.log(
                Level.INFO,
                () -> "Kafka broker for tests at 127.0.0.1:" + port + " in " + millis + " ms (" + script + "):\n"
                        + printed);
        KafkaBroker broker = new KafkaBroker("127.0.0.1:" + port, script, dataDir);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stopAndDelete, "sluice-kafka-stop"));
        return broker;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Whether this JVM started the broker, and so may stop and restart it. */
    boolean isOwn() {
        return script != null;
    }

    boolean isRunning() {
        return running;
    }

    /** Stops the broker cleanly; its records stay for {@link #start()}. */
    /**
     * Freezes (SIGSTOP) or thaws (SIGCONT) the broker process: a broker that accepts connections and then
     * answers nothing, the way a broker stuck in a long GC pause or on a dead disk does.
     */
    synchronized void signal(String signal) {
        try {
            String pid = Files.readString(dataDir.resolve("broker.pid")).trim();
            Process kill =
                    new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    synchronized void stop() {
        requireOwn("stop");
        script.run(STOP_TIMEOUT, "stop", "--data", dataDir.toString());
        running = false;
    }

    /** Starts the broker again on the same port with the same records; does nothing when it runs. */
    synchronized void start() {
        requireOwn("start");
        script.run(
                START_TIMEOUT,
                "start",
                "--data",
                dataDir.toString(),
                "--owner-pid",
                Long.toString(ProcessHandle.current().pid()));
        running = true;
    }

    private void requireOwn(String what) {
        if (!isOwn()) {
            throw new IllegalStateException("cannot " + what + " the broker at " + bootstrapServers
                    + ": it was not started by this JVM (" + BROKERS_VARIABLE + ")");
        }
    }

    private synchronized void stopAndDelete() {
        try {
            script.run(STOP_TIMEOUT, "stop", "--data", dataDir.toString());
            deleteTree(dataDir);
        } catch (RuntimeException e) {
            // The script's owner watcher stops the broker anyway; a left-over temp directory is harmless.
            LOG.log(Level.WARNING, "could not stop the Kafka broker at " + bootstrapServers + " cleanly", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    private static boolean accepts(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        try (Socket socket = new Socket()) {
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            socket.connect(new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1))), (int)
                    CONNECT_TIMEOUT.toMillis());
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
