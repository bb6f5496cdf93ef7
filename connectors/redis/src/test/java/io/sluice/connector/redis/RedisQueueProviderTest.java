package io.sluice.connector.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.MessageQueueProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class RedisQueueProviderTest {

    @Test
    void theRedisQueueTypeIsFoundByTheServiceLoader() {
        assertThat(ServiceLoader.load(MessageQueueProvider.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .map(MessageQueueProvider::type))
                .contains("redis");
    }
}
