package io.sluice.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.camel.SluiceOperation;
import io.sluice.gateway.routefiles.RouteValidator;
import io.sluice.gateway.routefiles.ValidatedRoutes;
import io.sluice.gateway.routefiles.ValidatedRoutes.RouteView;
import io.sluice.spi.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Redis route files pass the gateway's validation (a dry run: nothing connects) with the connectors on the
 * class path, and send the four prekey endpoints to redis:.
 */
class RedisRouteFilesTest {
    private static final List<SluiceOperation> PREKEYS = List.of(
            SluiceOperation.REGISTER,
            SluiceOperation.UNREGISTER,
            SluiceOperation.REQUEST_PREKEYS,
            SluiceOperation.PREKEY_COUNT);

    private static ValidatedRoutes validate(String file) {
        return RouteValidator.validate(Settings.of(Map.of()), List.of(RouteFixtures.routeFile(file)));
    }

    private static void prekeysOnRedis(ValidatedRoutes routes) {
        for (SluiceOperation operation : PREKEYS) {
            assertThat(routes.routes())
                    .filteredOn(r -> r.consumes() == operation)
                    .singleElement()
                    .extracting(RouteView::yaml)
                    .asString()
                    .contains("redis:");
        }
    }

    @Test
    void redisYamlIsValidWithPrekeysOnRedisAndMessagesToTheQueue() {
        ValidatedRoutes routes = validate("redis.yaml");

        prekeysOnRedis(routes);
        assertThat(routes.routes())
                .filteredOn(r -> r.consumes() == SluiceOperation.OUTBOUND)
                .singleElement()
                .matches(RouteView::delivers);
    }

    @Test
    void kafkaRedisPrekeysYamlIsValidWithPrekeysOnRedis() {
        ValidatedRoutes routes = validate("kafka-redis-prekeys.yaml");

        prekeysOnRedis(routes);
        assertThat(routes.routes()).extracting(RouteView::id).contains("outbound", "kafka-inbound");
    }
}
