package io.sluice.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.gateway.GatewaySettings;
import io.sluice.gateway.limits.LimitsSettings;
import io.sluice.gateway.settings.SettingsSources;
import io.sluice.spi.SettingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Any settings file: read by {@link SettingsSources} and checked as start-up checks it (the gateway's and the limits'
 * settings), it yields settings or a {@link SettingException} naming the setting, which start-up prints as one line
 * (exit 2). Nothing else may escape. The first byte chooses the format: even YAML, odd properties.
 */
class SettingsFilesFuzzTest {
    private final Path dir;

    SettingsFilesFuzzTest() throws IOException {
        dir = Files.createTempDirectory("sluice-fuzz-settings-");
        dir.toFile().deleteOnExit();
    }

    @FuzzTest
    void settingsLoadOrFailWithSettingException(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Path file = dir.resolve((input[0] & 1) == 0 ? "sluice.yaml" : "sluice.properties");
        try {
            Files.deleteIfExists(dir.resolve("sluice.yaml"));
            Files.deleteIfExists(dir.resolve("sluice.properties"));
            Files.write(file, java.util.Arrays.copyOfRange(input, 1, input.length));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            SettingsSources settings = SettingsSources.load(new Properties(), Map.of(), dir);
            GatewaySettings config = GatewaySettings.from(settings);
            LimitsSettings.from(settings, config.protocol().lowThreshold());
        } catch (SettingException expected) {
            // one line naming the setting
        }
    }
}
