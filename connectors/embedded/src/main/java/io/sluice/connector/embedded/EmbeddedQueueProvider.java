package io.sluice.connector.embedded;

import io.sluice.spi.MessageQueue;
import io.sluice.spi.MessageQueueProvider;
import io.sluice.spi.Settings;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code embedded} queue type: {@code <sluice.data-dir>/queue}, with the settings of {@link EmbeddedSettings}.
 */
public final class EmbeddedQueueProvider implements MessageQueueProvider {

    @Override
    public String type() {
        return "embedded";
    }

    @Override
    public MessageQueue open(Settings settings) {
        EmbeddedSettings embedded = EmbeddedSettings.from(settings);
        Duration retention = embedded.dedupRetention();
        EmbeddedMessageQueue queue =
                EmbeddedMessageQueue.open(embedded.dataDir().resolve("queue"), embedded.sync(), retention);
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
