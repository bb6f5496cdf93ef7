package io.sluice.connector.support;

import io.sluice.spi.Settings;
import org.apache.camel.CamelContext;

/**
 * The gateway's {@link Settings} as the components and beans of a route file reach them: the gateway binds them in
 * the Camel registry before it loads the route files, so that a connector reads its settings record from the same
 * source as the gateway ({@code KafkaConnectorSettings.from(SluiceSettings.of(camel))}), with the same defaults,
 * rather than through property placeholders. Placeholders ({@code {{sluice.kafka.topic}}}) are for the route files
 * themselves, and resolve from the same settings.
 */
public final class SluiceSettings {
    /** The name the settings are bound under in the Camel registry. */
    public static final String BEAN = "sluiceSettings";

    private SluiceSettings() {}

    /**
     * The settings bound in this context.
     *
     * @throws IllegalStateException when there are none: a context the gateway did not set up
     */
    public static Settings of(CamelContext camel) {
        Settings settings = camel.getRegistry().lookupByNameAndType(BEAN, Settings.class);
        if (settings == null) {
            throw new IllegalStateException("no Sluice settings in Camel context " + camel.getName()
                    + " (expected: routes run by the gateway, or an io.sluice.spi.Settings bound as '" + BEAN + "')");
        }
        return settings;
    }

    /** Binds settings in a context, as the gateway does. */
    public static void bind(CamelContext camel, Settings settings) {
        camel.getRegistry().bind(BEAN, Settings.class, settings);
    }
}
