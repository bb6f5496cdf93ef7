package io.sluice.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.connector.support.SluiceSettings;
import io.sluice.spi.Address;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.Settings;
import io.sluice.spi.SluiceHeaders;
import io.sluice.testkit.PostgresSchemaExtension;
import io.sluice.testkit.TestKeys;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The jdbc-prekeys: component as a route file finds it: by its scheme, configured by the settings bound in the context. */
class JdbcPreKeyStoreComponentIT {
    @RegisterExtension
    static final PostgresSchemaExtension POSTGRES = new PostgresSchemaExtension();

    @Test
    void endpointsFoundByTheirSchemeServeTheStoreFromSettings() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            SluiceSettings.bind(
                    context,
                    Settings.of(Map.of(
                            "sluice.jdbc.url", POSTGRES.url(),
                            "sluice.jdbc.user", POSTGRES.user(),
                            "sluice.jdbc.schema", POSTGRES.schema(),
                            "sluice.jdbc.pool-size", "2")));
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            Address device = TestKeys.address(5);

            template.sendBodyAndHeader(
                    "jdbc-prekeys:register", TestKeys.registration(3, "s", "k", 2), SluiceHeaders.ADDRESS, device);
            Integer count = template.requestBodyAndHeader(
                    "jdbc-prekeys:preKeyCount", null, SluiceHeaders.ADDRESS, device, Integer.class);
            List<?> bundles = template.requestBody(
                    "jdbc-prekeys:requestPreKeys", new PreKeyRequest(device.userId(), Set.of()), List.class);

            assertThat(count).isEqualTo(2);
            assertThat(bundles).singleElement().isInstanceOfSatisfying(PreKeyBundle.class, b -> {
                assertThat(b.deviceId()).isEqualTo(5);
                assertThat(b.registrationId()).isEqualTo(3);
            });
            assertThat(template.requestBodyAndHeader(
                            "jdbc-prekeys:preKeyCount", null, SluiceHeaders.ADDRESS, device, Integer.class))
                    .isEqualTo(1);
        }
    }
}
