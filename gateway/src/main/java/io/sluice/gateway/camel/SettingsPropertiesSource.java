package io.sluice.gateway.camel;

import io.sluice.spi.Settings;
import java.util.Objects;
import org.apache.camel.spi.PropertiesSource;

/**
 * Lets routes read every setting as a property placeholder, {@code {{sluice.kafka.brokers}}}, or with a default,
 * {@code {{sluice.rabbitmq.url:amqp://127.0.0.1}}}.
 */
public final class SettingsPropertiesSource implements PropertiesSource {
    private final Settings settings;

    public SettingsPropertiesSource(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public String getName() {
        return "sluice-settings";
    }

    @Override
    public String getProperty(String name) {
        return settings.get(name).orElse(null);
    }
}
