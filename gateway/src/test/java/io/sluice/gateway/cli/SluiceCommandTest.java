package io.sluice.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.settings.SettingsSources;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SluiceCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int execute(String... args) {
        return SluiceCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void helpExitsZeroAndNamesEveryCommand() {
        assertThat(execute("--help")).isZero();
        assertThat(out.toString()).contains("run", "routes", "check", "settings", "--version", "Exit status");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void eachCommandHasItsHelp() {
        assertThat(execute("check", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: sluice check");
    }

    @Test
    void versionExitsZeroWithVersionAndCommit() {
        assertThat(execute("--version")).isZero();
        assertThat(out.toString()).startsWith("sluice ").contains("\ncommit ");
    }

    @Test
    void anUnknownCommandIsOneLineAndExitTwo() {
        assertThat(execute("serve")).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("sluice: unknown command 'serve' (expected: run, routes, check or settings; see --help)"
                        + System.lineSeparator());
    }

    @Test
    void anUnknownOptionIsOneLineAndExitTwo() {
        assertThat(execute("check", "--fast")).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("sluice: Unknown option: '--fast'");
    }

    @Test
    void settingsMasksSecretsAndSaysWhereEachValueComesFrom() {
        Properties system = new Properties();
        system.setProperty("sluice.tls.keystore-password", "hunter2");
        system.setProperty("sluice.port", "9000");
        SettingsSources settings = SettingsSources.load(
                system,
                Map.of("SLUICE_KAFKA_PRODUCER__SASL_JAAS_CONFIG", "Login password=\"p4ss\";", "SLUICE_TYPO", "1"),
                dir);
        StringWriter printed = new StringWriter();

        SettingsCommand.print(
                settings, Map.of("sluice.rabbitmq.url", "amqp://guest:guest@127.0.0.1:5672"), new PrintWriter(printed));

        String text = printed.toString();
        assertThat(text).doesNotContain("hunter2").doesNotContain("p4ss").doesNotContain("guest:guest");
        assertThat(text)
                .containsPattern("sluice\\.port +9000 +8080 +system property")
                .containsPattern("sluice\\.tls\\.keystore-password +\\*{6} +system property")
                .containsPattern("sluice\\.kafka\\.producer\\.sasl\\.jaas\\.config +\\*{6} +environment variable"
                        + " SLUICE_KAFKA_PRODUCER__SASL_JAAS_CONFIG")
                .containsPattern("sluice\\.rabbitmq\\.url +amqp://guest:xxxxxx@127\\.0\\.0\\.1:5672")
                .containsPattern("sluice\\.ws\\.idle-timeout +\\(not set\\) +3 × sluice\\.ws\\.ping-interval +default")
                .contains("# unknown (start-up refuses these)")
                .containsPattern("SLUICE_TYPO +environment variable");
    }
}
