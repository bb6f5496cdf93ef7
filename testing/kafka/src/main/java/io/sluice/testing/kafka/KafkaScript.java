package io.sluice.testing.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code examples/kafka/kafka.sh}, the one place that says how Sluice's Kafka broker starts and stops, so
 * that the tests run the broker exactly as the README and CI do.
 */
final class KafkaScript {

    /** A system property or environment variable naming the script, for a test run outside the source tree. */
    static final String SCRIPT_VARIABLE = "SLUICE_KAFKA_SCRIPT";

    private static final Path RELATIVE = Paths.get("examples", "kafka", "kafka.sh");

    private final Path script;

    private KafkaScript(Path script) {
        this.script = script;
    }

    /** The script named by {@value #SCRIPT_VARIABLE}, or the one of the source tree the tests run in. */
    static KafkaScript locate() {
        String configured = setting(SCRIPT_VARIABLE);
        if (configured != null) {
            Path script = Paths.get(configured).toAbsolutePath();
            if (!Files.isRegularFile(script)) {
                throw new IllegalStateException(SCRIPT_VARIABLE + ": " + script + " (expected: an existing file)");
            }
            return new KafkaScript(script);
        }
        // Failsafe runs a module's tests in the module's directory; the script is at the root of the tree.
        Path start = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(RELATIVE))) {
                return new KafkaScript(dir.resolve(RELATIVE));
            }
        }
        throw new IllegalStateException("no " + RELATIVE + " in " + start + " or above it (expected: tests run in"
                + " the Sluice source tree, or " + SCRIPT_VARIABLE + " naming the script)");
    }

    /**
     * Runs the script with these arguments and waits for it.
     *
     * @return what it printed
     * @throws IllegalStateException when it fails or outlives the timeout, with what it printed
     */
    String run(Duration timeout, String... arguments) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(arguments));
        Path output = null;
        try {
            // A file, not a pipe: the broker the script leaves running must not hold our end open.
            output = Files.createTempFile("sluice-kafka-sh-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            // This JVM is a JDK 21+ (the build enforces it): the broker runs on the same one.
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8).strip();
            if (!finished || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command)
                        + (finished ? " failed with exit code " + process.exitValue() : " did not finish in " + timeout)
                        + ":\n" + printed);
            }
            return printed;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // A left-over temp file is harmless.
                }
            }
        }
    }

    @Override
    public String toString() {
        return script.toString();
    }

    /** A system property, else the environment variable of the same name; {@code null} when blank or unset. */
    static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }
}
