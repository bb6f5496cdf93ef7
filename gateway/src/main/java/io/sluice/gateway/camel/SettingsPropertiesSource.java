package io.sluice.gateway.camel;

import io.sluice.spi.Settings;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.camel.spi.LoadablePropertiesSource;

/**
 * Lets routes read every setting as a property placeholder, {@code {{sluice.kafka.brokers}}}, or with a default,
 * {@code {{sluice.rabbitmq.url:amqp://127.0.0.1}}}.
 */
public final class SettingsPropertiesSource implements LoadablePropertiesSource {
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

    /** Every {@code sluice.*} setting, so that beans can list them by prefix ({@code sluice.kafka.producer.*}). */
    @Override
    public Properties loadProperties() {
        return loadProperties(name -> true);
    }

    @Override
    public Properties loadProperties(Predicate<String> filter) {
        Properties properties = new Properties();
        settings.withPrefix("sluice.").forEach((name, value) -> {
            if (filter.test(name)) {
                properties.setProperty(name, value);
            }
        });
        return properties;
    }

    @Override
    public void reloadProperties(String location) {
        // Settings are read once at start-up.
    }
}
