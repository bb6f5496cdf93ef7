package io.sluice.gateway.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.spi.Setting;
import io.sluice.spi.SettingDefinitions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsCatalogTest {
    private static final SettingsCatalog INSTALLED = SettingsCatalog.installed();

    private static SettingDefinitions module(String name, Setting<?>... settings) {
        return new SettingDefinitions() {
            @Override
            public String module() {
                return name;
            }

            @Override
            public List<Setting<?>> settings() {
                return List.of(settings);
            }
        };
    }

    @Test
    void everyModuleOnTheClassPathIsFound() {
        assertThat(INSTALLED.modules())
                .extracting(SettingDefinitions::module)
                .contains("common", "gateway", "embedded", "jdbc", "kafka");
        assertThat(INSTALLED.find("sluice.port")).isPresent();
        assertThat(INSTALLED.find("sluice.kafka.producer.linger.ms")).isPresent();
        assertThat(INSTALLED.find("sluice.kafka.producr.linger.ms")).isEmpty();
    }

    @Test
    void aMistypedKeyGetsTheNearestKnownOne() {
        assertThat(INSTALLED.suggestion("sluice.limits.conections-per-ip", Set.of()))
                .contains("sluice.limits.connections-per-ip");
        assertThat(INSTALLED.suggestion("sluice.rabitmq.url", Set.of("sluice.rabbitmq.url")))
                .contains("sluice.rabbitmq.url");
        assertThat(INSTALLED.suggestion("sluice.kafka.prodcer.linger.ms", Set.of()))
                .contains("sluice.kafka.producer.linger.ms");
        assertThat(INSTALLED.suggestion("sluice.something.else.entirely", Set.of()))
                .isEmpty();
    }

    @Test
    void environmentVariablesMapExactly() {
        assertThat(INSTALLED.keyOfEnvironmentVariable("SLUICE_KAFKA_PRODUCER_TIMEOUT", Set.of()))
                .contains("sluice.kafka.producer-timeout");
        assertThat(INSTALLED.keyOfEnvironmentVariable("SLUICE_KAFKA_PRODUCER__LINGER_MS", Set.of()))
                .contains("sluice.kafka.producer.linger.ms");
        assertThat(INSTALLED.keyOfEnvironmentVariable("SLUICE_RABBITMQ_URL", Set.of("sluice.rabbitmq.url")))
                .contains("sluice.rabbitmq.url");
        assertThat(INSTALLED.keyOfEnvironmentVariable("SLUICE_RABBITMQ_URL", Set.of()))
                .isEmpty();
        assertThat(INSTALLED.environmentNameOf("sluice.kafka.consumer.max.poll.records"))
                .isEqualTo("SLUICE_KAFKA_CONSUMER__MAX_POLL_RECORDS");
        assertThat(INSTALLED.environmentNameOf("sluice.limits.queue-bytes")).isEqualTo("SLUICE_LIMITS_QUEUE_BYTES");
    }

    @Test
    void aKeyDeclaredTwiceIsRefused() {
        Setting<String> one = Setting.string("sluice.twice", "a", "one");
        assertThatThrownBy(() -> SettingsCatalog.of(List.of(module("a", one), module("b", one))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sluice.twice is declared by two modules, a and b");
    }
}
