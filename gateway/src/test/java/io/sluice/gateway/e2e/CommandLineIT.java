package io.sluice.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's command line, on the real jar: help, version, check, settings, and the refusals of start-up. */
class CommandLineIT {
    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private GatewayProcess launch(Map<String, String> settings, String... args) throws Exception {
        return GatewayProcess.launch(dir.resolve("data"), settings, List.of(args));
    }

    @Test
    void helpExitsZeroAndListsEveryCommand() throws Exception {
        try (GatewayProcess jar = launch(Map.of(), "--help")) {
            assertThat(jar.awaitExit(EXIT)).isZero();
            assertThat(String.join("\n", jar.output()))
                    .contains("Usage: sluice")
                    .contains("run ")
                    .contains("routes ")
                    .contains("check ")
                    .contains("settings ")
                    .contains("--version");
        }
    }

    @Test
    void versionPrintsTheVersionAndTheCommitTheJarWasBuiltFrom() throws Exception {
        String head = git("rev-parse", "HEAD");
        try (GatewayProcess jar = launch(Map.of(), "--version")) {
            assertThat(jar.awaitExit(EXIT)).isZero();
            assertThat(jar.output().get(0)).matches("sluice \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
            assertThat(jar.output().get(1)).startsWith("commit " + head + " (");
        }
    }

    @Test
    void unknownCommandIsOneLineAndExitTwo() throws Exception {
        try (GatewayProcess jar = launch(Map.of(), "serve")) {
            assertThat(jar.awaitExit(EXIT)).isEqualTo(2);
            assertThat(jar.output())
                    .containsExactly(
                            "sluice: unknown command 'serve' (expected: run, routes, check or settings; see --help)");
        }
    }

    @Test
    void checkAcceptsGoodSettingsWithoutStartingAnything() throws Exception {
        try (GatewayProcess jar = launch(Map.of("sluice.limits.requests", "50/1s"), "check")) {
            assertThat(jar.awaitExit(EXIT)).isZero();
            assertThat(jar.output())
                    .singleElement()
                    .asString()
                    .startsWith("sluice: settings and route files are valid");
        }
        assertThat(dir.resolve("data")).as("nothing was opened").doesNotExist();
    }

    @Test
    void checkRefusesABadSettingWithOneLineAndExitTwo() throws Exception {
        try (GatewayProcess jar = launch(Map.of("sluice.ws.ping-interval", "often"), "check")) {
            assertThat(jar.awaitExit(EXIT)).isEqualTo(2);
            assertThat(jar.output())
                    .containsExactly("sluice: invalid setting sluice.ws.ping-interval: 'often'"
                            + " (expected: a positive duration such as 300ms, 30s, 5m or 1h)");
        }
    }

    @Test
    void checkRefusesAnUnknownQueueType() throws Exception {
        try (GatewayProcess jar = launch(Map.of("sluice.queue.type", "carrier-pigeon"), "check")) {
            assertThat(jar.awaitExit(EXIT)).isEqualTo(2);
            assertThat(jar.output())
                    .containsExactly("sluice: invalid setting sluice.queue.type: 'carrier-pigeon'"
                            + " (expected: one of [embedded, redis])");
        }
    }

    @Test
    void settingsPrintsValueDefaultAndSourceWithSecretsMasked() throws Exception {
        try (GatewayProcess jar = launch(
                Map.of(
                        "sluice.tls.keystore-password", "hunter2-secret",
                        "sluice.kafka.producer.sasl.jaas.config", "org.example.Login required password=\"p4ss\";",
                        "sluice.limits.requests", "50/1s"),
                "settings")) {
            assertThat(jar.awaitExit(EXIT)).isZero();
            String output = String.join("\n", jar.output());
            assertThat(output).doesNotContain("hunter2-secret").doesNotContain("p4ss");
            assertThat(output)
                    .containsPattern("sluice\\.tls\\.keystore-password +\\*{6} +system property")
                    .containsPattern("sluice\\.kafka\\.producer\\.sasl\\.jaas\\.config +\\*{6} +system property")
                    .containsPattern("sluice\\.limits\\.requests +50/1s +1000/1s +system property")
                    .containsPattern("sluice\\.shutdown\\.grace +10s +10s +default");
        }
    }

    @Test
    void unknownSettingIsRefusedWithASuggestion() throws Exception {
        try (GatewayProcess jar = launch(Map.of("sluice.limits.conections-per-ip", "5"))) {
            assertThat(jar.awaitExit(EXIT)).isEqualTo(2);
            assertThat(jar.output())
                    .containsExactly("sluice: unknown setting sluice.limits.conections-per-ip"
                            + " (did you mean sluice.limits.connections-per-ip?)");
        }
        assertThat(dir.resolve("data")).as("nothing was opened").doesNotExist();
    }

    @Test
    void portInUseNamesTheSettingAndThePortWithExitTwo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                GatewayProcess jar = launch(Map.of("sluice.port", Integer.toString(taken.getLocalPort())))) {
            int port = taken.getLocalPort();
            assertThat(jar.awaitExit(EXIT)).isEqualTo(2);
            assertThat(jar.output())
                    .containsExactly("sluice: invalid setting sluice.port: '" + port
                            + "' (expected: a port no other process listens on; 127.0.0.1:" + port
                            + ": Address already in use)");
        }
    }

    @Test
    void adminPortInUseNamesTheSettingAndThePortWithExitTwo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                GatewayProcess jar = launch(Map.of("sluice.admin.port", Integer.toString(taken.getLocalPort())))) {
            int port = taken.getLocalPort();
            assertThat(jar.awaitExit(EXIT)).isEqualTo(2);
            assertThat(jar.output())
                    .containsExactly("sluice: invalid setting sluice.admin.port: '" + port
                            + "' (expected: a port no other process listens on; 127.0.0.1:" + port
                            + ": Address already in use)");
        }
    }

    @Test
    void launcherRunsTheRoutesDryRunOfTheJar() throws Exception {
        Path root = GatewayProcess.jar().getParent().getParent().getParent();
        Path log = dir.resolve("sluice.log");
        ProcessBuilder builder = new ProcessBuilder(
                        root.resolve("sluice").toString(), "routes", "-Dsluice.data-dir=" + dir.resolve("data"))
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("SLUICE_"));
        // The jar under test is the one this build made: the launcher must not rebuild it under the build's feet.
        builder.environment().put("SLUICE_SKIP_BUILD", "1");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process launcher = builder.start();
        assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(launcher.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("# Route files: classpath:routes/embedded.yaml")
                .contains("sluice:outbound");
    }

    private static String git(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command)
                .directory(GatewayProcess.jar().getParent().toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
