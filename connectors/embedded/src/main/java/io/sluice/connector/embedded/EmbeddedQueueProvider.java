package io.sluice.connector.embedded;

import io.sluice.spi.MessageQueue;
import io.sluice.spi.MessageQueueProvider;
import io.sluice.spi.Settings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code embedded} queue type: {@code <sluice.data-dir>/queue}. Settings: {@code sluice.embedded.sync} (fsync
 * each write batch, default false: writes survive a killed process, not a power cut) and {@code
 * sluice.embedded.dedup-retention} (default 7d).
 */
public final class EmbeddedQueueProvider implements MessageQueueProvider {

    @Override
    public String type() {
        return "embedded";
    }

    @Override
    public MessageQueue open(Settings settings) {
        Path dir = settings.path("sluice.data-dir", Path.of("data")).resolve("queue");
        return EmbeddedMessageQueue.open(
                dir,
                settings.bool("sluice.embedded.sync", false),
                settings.duration("sluice.embedded.dedup-retention", Duration.ofDays(7)));
    }
}
