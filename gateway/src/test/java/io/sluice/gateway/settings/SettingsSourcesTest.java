package io.sluice.gateway.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.GatewaySettings;
import io.sluice.spi.SettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsSourcesTest {
    @TempDir
    Path dir;

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void systemPropertyBeatsEnvironmentBeatsFile() throws Exception {
        Files.writeString(
                dir.resolve("sluice.yaml"), "sluice:\n  port: 1000\n  data-dir: /from/file\n  host: filehost\n");
        SettingsSources settings = SettingsSources.load(
                props("sluice.port", "3000"), Map.of("SLUICE_PORT", "2000", "SLUICE_DATA_DIR", "/from/env"), dir);

        assertThat(settings.get("sluice.port")).contains("3000");
        assertThat(settings.get("sluice.data-dir")).contains("/from/env");
        assertThat(settings.get("sluice.host")).contains("filehost");
    }

    @Test
    void namedPropertiesFileIsRead() throws Exception {
        Path file = dir.resolve("custom.properties");
        Files.writeString(file, "sluice.prekeys.check-interval=30s\n");
        SettingsSources settings = SettingsSources.load(props("sluice.config", file.toString()), Map.of(), dir);
        assertThat(GatewaySettings.from(settings).protocol().checkInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void missingNamedFileIsASettingError() {
        assertThatThrownBy(() -> SettingsSources.load(props(), Map.of("SLUICE_CONFIG", "nope.yaml"), dir))
                .isInstanceOf(SettingException.class)
                .hasMessage("sluice.config: 'nope.yaml' (expected: a readable .yaml, .yml or .properties file)");
    }

    @Test
    void prefixCollectsPassThroughKeysFromEverySource() {
        SettingsSources settings = SettingsSources.load(
                props("sluice.kafka.producer.linger.ms", "5"),
                Map.of("SLUICE_KAFKA_PRODUCER__SASL_MECHANISM", "PLAIN"),
                dir);
        assertThat(settings.withPrefix("sluice.kafka.producer."))
                .containsEntry("sluice.kafka.producer.linger.ms", "5")
                .containsEntry("sluice.kafka.producer.sasl.mechanism", "PLAIN");
    }

    @Test
    void defaultsMatchTheDocumentation() {
        GatewaySettings config = GatewaySettings.from(SettingsSources.load(props(), Map.of(), dir));
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(config.routes()).containsExactly("classpath:routes/embedded.yaml");
        assertThat(config.maxFrameBytes()).isEqualTo(1024 * 1024);
        assertThat(config.protocol().lowThreshold()).isEqualTo(10);
        assertThat(config.protocol().keysRequested()).isEqualTo(20);
        assertThat(config.protocol().checkInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.pingInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void idleTimeoutMustExceedPingInterval() {
        assertThatThrownBy(() -> GatewaySettings.from(SettingsSources.load(
                        props("sluice.ws.ping-interval", "30s", "sluice.ws.idle-timeout", "10s"), Map.of(), dir)))
                .hasMessage(
                        "sluice.ws.idle-timeout: '10000ms' (expected: longer than sluice.ws.ping-interval (30000ms))");
    }

    @Test
    void anEnvironmentVariableOfADeclaredKeyDoesNotLeakIntoAPassThroughPrefix() {
        // SLUICE_KAFKA_PRODUCER_TIMEOUT is sluice.kafka.producer-timeout, not the producer property "timeout".
        SettingsSources settings = SettingsSources.load(props(), Map.of("SLUICE_KAFKA_PRODUCER_TIMEOUT", "2s"), dir);

        assertThat(settings.withPrefix("sluice.kafka.producer.")).isEmpty();
        assertThat(settings.get("sluice.kafka.producer-timeout")).contains("2s");
        assertThat(settings.withPrefix("sluice.kafka.")).containsOnlyKeys("sluice.kafka.producer-timeout");
    }

    @Test
    void aPassThroughKeyIsReadFromItsDoubleUnderscoreVariable() {
        SettingsSources settings =
                SettingsSources.load(props(), Map.of("SLUICE_KAFKA_CONSUMER__MAX_POLL_RECORDS", "100"), dir);

        assertThat(settings.get("sluice.kafka.consumer.max.poll.records")).contains("100");
        assertThat(settings.origin("sluice.kafka.consumer.max.poll.records"))
                .isEqualTo(SettingsSources.Origin.ENVIRONMENT);
    }

    @Test
    void eachValueKnowsItsSource() throws Exception {
        Files.writeString(dir.resolve("sluice.properties"), "sluice.host=filehost\n");
        SettingsSources settings =
                SettingsSources.load(props("sluice.port", "3000"), Map.of("SLUICE_DATA_DIR", "/env"), dir);

        assertThat(settings.describeOrigin("sluice.port")).isEqualTo("system property");
        assertThat(settings.describeOrigin("sluice.data-dir")).isEqualTo("environment variable SLUICE_DATA_DIR");
        assertThat(settings.describeOrigin("sluice.host")).isEqualTo("file " + dir.resolve("sluice.properties"));
        assertThat(settings.describeOrigin("sluice.request-timeout")).isEqualTo("default");
    }

    @Test
    void anUnknownSystemPropertyIsRefusedWithTheKeyItWasMeantToBe() {
        SettingsSources settings = SettingsSources.load(props("sluice.limits.conections-per-ip", "5"), Map.of(), dir);

        assertThatThrownBy(() -> settings.refuseUnknown(Set.of()))
                .isInstanceOf(UnknownSettingException.class)
                .hasMessage("unknown setting sluice.limits.conections-per-ip"
                        + " (did you mean sluice.limits.connections-per-ip?)");
    }

    @Test
    void anUnknownEnvironmentVariableIsRefusedWithTheVariableItWasMeantToBe() {
        SettingsSources settings = SettingsSources.load(props(), Map.of("SLUICE_PROT", "9000"), dir);

        assertThatThrownBy(() -> settings.refuseUnknown(Set.of()))
                .hasMessage("unknown setting SLUICE_PROT (did you mean SLUICE_PORT?)");
    }

    @Test
    void anUnknownKeyInTheFileIsRefusedNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("sluice.yaml"), "port: 9000\n");
        SettingsSources settings = SettingsSources.load(props(), Map.of(), dir);

        assertThatThrownBy(() -> settings.refuseUnknown(Set.of()))
                .hasMessage("unknown setting port in " + dir.resolve("sluice.yaml") + " (did you mean sluice.port?)");
    }

    @Test
    void aKeyFarFromEveryKnownOneGetsNoSuggestion() {
        SettingsSources settings = SettingsSources.load(props("sluice.frobnicate.everything", "1"), Map.of(), dir);

        assertThatThrownBy(() -> settings.refuseUnknown(Set.of()))
                .hasMessage("unknown setting sluice.frobnicate.everything (expected: a setting that the settings"
                        + " command lists, or a placeholder of a route file)");
    }

    @Test
    void placeholdersOfTheRouteFilesPassThroughKeysAndTheLauncherAreKnown() {
        SettingsSources settings = SettingsSources.load(
                props("sluice.rabbitmq.url", "amqp://x", "sluice.kafka.producer.linger.ms", "5"),
                Map.of("SLUICE_RABBITMQ_EXCHANGE", "e", "SLUICE_JAVA_OPTS", "-Xmx1g"),
                dir);

        settings.refuseUnknown(Set.of("sluice.rabbitmq.url", "sluice.rabbitmq.exchange")); // does not throw
        assertThatThrownBy(() -> settings.refuseUnknown(Set.of())).isInstanceOf(UnknownSettingException.class);
    }

    @Test
    void settingsGivenInCodeAreCheckedToo() {
        assertThatThrownBy(() -> SettingsSources.refuseUnknown(
                        io.sluice.spi.Settings.of(Map.of("sluice.delivery.windw", "4")),
                        SettingsCatalog.installed(),
                        Set.of()))
                .hasMessage("unknown setting sluice.delivery.windw (did you mean sluice.delivery.window?)");
    }
}
