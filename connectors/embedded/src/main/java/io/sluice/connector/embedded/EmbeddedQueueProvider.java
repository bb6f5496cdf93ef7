package io.sluice.connector.embedded;

import io.sluice.spi.MessageQueue;
import io.sluice.spi.MessageQueueProvider;
import io.sluice.spi.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code embedded} queue type: {@code <sluice.data-dir>/queue}. Settings: {@code sluice.embedded.sync}
 * (fsync each write, default false: writes survive a killed process, not a power cut) and
 * {@code sluice.embedded.dedup-retention} (default 7d).
 */
public final class EmbeddedQueueProvider implements MessageQueueProvider {

    @Override
    public String type() {
        return "embedded";
    }

    @Override
    public MessageQueue open(Settings settings) {
        Path dir = settings.path("sluice.data-dir", Path.of("data")).resolve("queue");
        Duration retention = settings.duration("sluice.embedded.dedup-retention", Duration.ofDays(7));
        EmbeddedMessageQueue queue =
                EmbeddedMessageQueue.open(dir, settings.bool("sluice.embedded.sync", false), retention);
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sluice-dedup-sweep").daemon().factory());
        long period = Math.max(1, Math.min(retention.toMinutes(), 60));
        sweeper.scheduleWithFixedDelay(queue::sweepDedup, period, period, TimeUnit.MINUTES);
        return new MessageQueueDecorator(queue) {
            @Override
            public void close() {
                sweeper.shutdownNow();
                super.close();
            }
        };
    }
}
