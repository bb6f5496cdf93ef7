package io.sluice.gateway.camel;

import io.sluice.connector.support.SluiceSettings;
import io.sluice.gateway.settings.SettingsCatalog;
import io.sluice.spi.Setting;
import io.sluice.spi.Settings;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.LoadablePropertiesSource;

/**
 * Lets routes read every setting as a property placeholder, {@code {{sluice.kafka.brokers}}}, or with a default,
 * {@code {{sluice.rabbitmq.url:amqp://127.0.0.1}}}. A declared setting that is not given resolves to its declared
 * default, so a route file need not repeat it.
 */
public final class SettingsPropertiesSource implements LoadablePropertiesSource {
    private final Settings settings;
    private final SettingsCatalog catalog;

    public SettingsPropertiesSource(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.catalog = SettingsCatalog.installed();
    }

    /**
     * Gives a context the gateway's settings, one channel for routes and beans alike: as placeholders, and bound
     * in the registry for components and beans ({@link SluiceSettings#of}).
     */
    public static void install(CamelContext camel, Settings settings) {
        camel.getPropertiesComponent().addPropertiesSource(new SettingsPropertiesSource(settings));
        SluiceSettings.bind(camel, settings);
    }

    @Override
    public String getName() {
        return "sluice-settings";
    }

    @Override
    public String getProperty(String name) {
        return settings.get(name)
                .or(() -> catalog.find(name).flatMap(Setting::defaultText))
                .orElse(null);
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
