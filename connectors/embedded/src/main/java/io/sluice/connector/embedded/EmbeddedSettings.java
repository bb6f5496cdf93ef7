package io.sluice.connector.embedded;

import io.sluice.spi.CommonSettings;
import io.sluice.spi.Setting;
import io.sluice.spi.SettingDefinitions;
import io.sluice.spi.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The embedded backends' settings, read once by the queue provider and the {@code embedded:} component.
 *
 * @param dataDir        sluice.data-dir: the queue lives in {@code <dataDir>/queue}, the prekeys in
 *                       {@code <dataDir>/prekeys}
 * @param sync           sluice.embedded.sync: fsync each write (survives a power cut, slower); writes always
 *                       survive a killed process
 * @param dedupRetention sluice.embedded.dedup-retention: how long {@code sluice:deliver} remembers a message id
 */
public record EmbeddedSettings(Path dataDir, boolean sync, Duration dedupRetention) {
    public static final Setting<Boolean> SYNC = Setting.bool(
            "sluice.embedded.sync",
            false,
            "fsync each embedded write (survives power loss, slower); writes always survive kill -9");
    public static final Setting<Duration> DEDUP_RETENTION = Setting.duration(
            "sluice.embedded.dedup-retention",
            "7d",
            "how long sluice:deliver remembers a SluiceMessageId; ids of the form <stream>@<position> keep one"
                    + " number per stream instead, for ever");

    /** Reads the settings. */
    public static EmbeddedSettings from(Settings settings) {
        return new EmbeddedSettings(
                CommonSettings.DATA_DIR.get(settings), SYNC.get(settings), DEDUP_RETENTION.get(settings));
    }

    /** Declares them, as module {@code embedded}. */
    public static final class Definitions implements SettingDefinitions {
        @Override
        public String module() {
            return "embedded";
        }

        @Override
        public List<Setting<?>> settings() {
            return List.of(SYNC, DEDUP_RETENTION);
        }
    }
}
