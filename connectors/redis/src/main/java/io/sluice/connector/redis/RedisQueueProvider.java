package io.sluice.connector.redis;

import io.sluice.spi.MessageQueue;
import io.sluice.spi.MessageQueueProvider;
import io.sluice.spi.Settings;

/** The {@code redis} queue type: {@link RedisMessageQueue} with the settings of {@link RedisSettings}. */
public final class RedisQueueProvider implements MessageQueueProvider {

    @Override
    public String type() {
        return "redis";
    }

    @Override
    public MessageQueue open(Settings settings) {
        return RedisMessageQueue.open(RedisSettings.from(settings));
    }
}
