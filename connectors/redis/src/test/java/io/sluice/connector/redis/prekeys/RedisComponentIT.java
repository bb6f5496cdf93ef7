package io.sluice.connector.redis.prekeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.connector.support.SluiceSettings;
import io.sluice.spi.Address;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.Settings;
import io.sluice.spi.SluiceHeaders;
import io.sluice.testing.redis.RedisServer;
import io.sluice.testkit.TestKeys;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The redis: component as a route file finds it: by its scheme, connected by the settings bound in the context. */
class RedisComponentIT {
    @Test
    void endpointsFoundByTheirSchemeServeTheStoreFromSettings() throws Exception {
        try (RedisServer server = RedisServer.start();
                DefaultCamelContext context = new DefaultCamelContext()) {
            SluiceSettings.bind(context, Settings.of(Map.of("sluice.redis.uri", server.uri())));
            context.start();
            assertThat(context.getComponent("redis")).isInstanceOf(RedisComponent.class);
            ProducerTemplate template = context.createProducerTemplate();
            Address device = TestKeys.address(5);

            template.sendBodyAndHeader(
                    "redis:register", TestKeys.registration(3, "s", "k", 2), SluiceHeaders.ADDRESS, device);
            Integer count = template.requestBodyAndHeader(
                    "redis:preKeyCount", null, SluiceHeaders.ADDRESS, device, Integer.class);
            List<?> bundles = template.requestBody(
                    "redis:requestPreKeys", new PreKeyRequest(device.userId(), Set.of()), List.class);

            assertThat(count).isEqualTo(2);
            assertThat(bundles).singleElement().isInstanceOfSatisfying(PreKeyBundle.class, b -> {
                assertThat(b.deviceId()).isEqualTo(5);
                assertThat(b.registrationId()).isEqualTo(3);
            });
            template.sendBodyAndHeader("redis:unregister", null, SluiceHeaders.ADDRESS, device);
            assertThat(template.requestBodyAndHeader(
                            "redis:preKeyCount", null, SluiceHeaders.ADDRESS, device, Integer.class))
                    .isZero();
        }
    }
}
