package io.sluice.connector.kafka;

import io.sluice.spi.Settings;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.camel.CamelContext;

/**
 * The gateway's settings as the route file's beans see them: through Camel's properties component, where the
 * gateway puts them for {@code {{sluice.kafka.brokers}}} placeholders.
 */
final class CamelSettings implements Settings {
    private final CamelContext camel;

    CamelSettings(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    public Optional<String> get(String key) {
        return camel.getPropertiesComponent().resolveProperty(key);
    }

    /** Needs a properties source that can list its keys (a {@code LoadablePropertiesSource}). */
    @Override
    public Map<String, String> withPrefix(String prefix) {
        Properties loaded = camel.getPropertiesComponent().loadProperties(key -> key.startsWith(prefix));
        Map<String, String> result = new TreeMap<>();
        loaded.stringPropertyNames().forEach(key -> result.put(key, loaded.getProperty(key)));
        return result;
    }
}
