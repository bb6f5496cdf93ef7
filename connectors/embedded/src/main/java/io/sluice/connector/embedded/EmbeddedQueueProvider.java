package io.sluice.connector.embedded;

import io.sluice.spi.MessageQueue;
import io.sluice.spi.MessageQueueProvider;
import io.sluice.spi.Settings;

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
        return EmbeddedMessageQueue.open(
                embedded.dataDir().resolve("queue"), embedded.sync(), embedded.dedupRetention());
    }
}
