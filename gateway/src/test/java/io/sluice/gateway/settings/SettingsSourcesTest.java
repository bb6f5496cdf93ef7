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
}
