package io.sluice.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the jar starts, and how it refuses to: one line naming the problem, no stack trace. */
class StartupIT {
    @TempDir
    Path dataDir;

    private static void assertRefusedWithOneLine(GatewayProcess gateway, int exitCode, String line)
            throws InterruptedException {
        assertThat(gateway.awaitExit(Duration.ofSeconds(60))).isEqualTo(exitCode);
        List<String> output = gateway.output();
        assertThat(output).as("printed exactly one line").hasSize(1);
        assertThat(output.get(0)).isEqualTo(line);
    }

    @Test
    void badDurationIsOneLineNamingTheSetting() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.launch(dataDir, Map.of("sluice.prekeys.check-interval", "soon"))) {
            assertRefusedWithOneLine(
                    gateway,
                    2,
                    "sluice: invalid setting sluice.prekeys.check-interval: 'soon'"
                            + " (expected: a positive duration such as 300ms, 30s, 5m or 1h)");
        }
    }

    @Test
    void badFrameLimitIsOneLineNamingTheSetting() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.launch(dataDir, Map.of("sluice.max-frame-bytes", "0"))) {
            assertRefusedWithOneLine(
                    gateway,
                    2,
                    "sluice: invalid setting sluice.max-frame-bytes: '0'"
                            + " (expected: a size from 1 to 67108864 bytes, such as 64KiB or 1MiB)");
        }
    }

    @Test
    void preKeyBurstAboveTheLowThresholdIsOneLineNamingTheSetting() throws Exception {
        try (GatewayProcess gateway =
                GatewayProcess.launch(dataDir, Map.of("sluice.limits.prekey-requests", "60/1m"))) {
            assertRefusedWithOneLine(
                    gateway,
                    2,
                    "sluice: invalid setting sluice.limits.prekey-requests: '60/1m' (expected: a burst of at most"
                            + " sluice.prekeys.low-threshold (10), such as 10/1m, so that one burst cannot empty a"
                            + " device's one-time prekeys; or off)");
        }
    }

    @Test
    void unknownLimitsStoreIsOneLineNamingTheSetting() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.launch(dataDir, Map.of("sluice.limits.store", "memcached"))) {
            assertRefusedWithOneLine(
                    gateway,
                    2,
                    "sluice: invalid setting sluice.limits.store: 'memcached' (expected: one of [local, redis])");
        }
    }

    @Test
    void missingRouteFileIsOneLineNamingTheSetting() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.launch(dataDir, Map.of("sluice.routes", "no/such/routes.yaml"))) {
            assertRefusedWithOneLine(
                    gateway,
                    2,
                    "sluice: invalid setting sluice.routes: 'no/such/routes.yaml'"
                            + " (expected: route files (.yaml, .yml, .xml) or folders that exist)");
        }
    }

    @Test
    void dataDirectoryInUseIsOneLine() throws Exception {
        try (GatewayProcess first = GatewayProcess.start(dataDir, Map.of());
                GatewayProcess second = GatewayProcess.launch(dataDir, Map.of())) {
            assertRefusedWithOneLine(
                    second,
                    2,
                    "sluice: invalid setting sluice.data-dir: '" + dataDir
                            + "' (expected: a directory no other Sluice process is using)");
            assertThat(first.process().isAlive()).isTrue();
        }
    }

    @Test
    void configFileIsReadAndSystemPropertiesWin() throws Exception {
        Path config = dataDir.resolve("sluice.yaml");
        Files.writeString(config, """
                sluice:
                  prekeys:
                    low-threshold: 3
                  max-frame-bytes: 2KiB
                """);
        try (GatewayProcess gateway = GatewayProcess.launch(
                dataDir, Map.of("sluice.config", config.toString(), "sluice.max-frame-bytes", "nonsense"))) {
            assertRefusedWithOneLine(
                    gateway,
                    2,
                    "sluice: invalid setting sluice.max-frame-bytes: 'nonsense'"
                            + " (expected: a size from 1 to 67108864 bytes, such as 64KiB or 1MiB)");
        }
    }
}
