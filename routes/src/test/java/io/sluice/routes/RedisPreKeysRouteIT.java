package io.sluice.routes;

import io.sluice.gateway.Gateway;
import io.sluice.gateway.camel.RoutedPreKeyStore;
import io.sluice.testing.redis.RedisServer;
import io.sluice.testkit.ProxiedPreKeyStore;
import io.sluice.testkit.ProxiedPreKeyStoreContract;
import io.sluice.testkit.TcpProxy;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The prekey contract through routes/redis.yaml in a real gateway: the redis: component found by its scheme and
 * connected by the gateway's settings, the Redis server (a test's own) reached through a {@link TcpProxy}.
 */
class RedisPreKeysRouteIT extends ProxiedPreKeyStoreContract {
    @RegisterExtension
    static final ProxiedPreKeyStore STORE = ProxiedPreKeyStore.open(fixture -> {
        RedisServer redis = fixture.closeAfter(RedisServer.start());
        TcpProxy proxy = fixture.proxyTo("127.0.0.1", redis.port());
        Gateway gateway = fixture.closeAfter(RouteFixtures.gateway(
                fixture.directory(), "redis.yaml", Map.of("sluice.redis.uri", "redis://127.0.0.1:" + proxy.port())));
        return new RoutedPreKeyStore(gateway.backend());
    });

    @Override
    protected ProxiedPreKeyStore fixture() {
        return STORE;
    }
}
