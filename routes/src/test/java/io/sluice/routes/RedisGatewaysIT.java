package io.sluice.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.client.SluiceError;
import io.sluice.gateway.Gateway;
import io.sluice.testing.redis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways on routes/redis.yaml and one Redis, with sluice.limits.store=redis, over real WebSockets: a device
 * registered through one is claimed through the other, and the prekey-request limit holds across both.
 */
class RedisGatewaysIT {
    @TempDir
    Path first;

    @TempDir
    Path second;

    private static String errorName(CompletableFuture<?> request) throws Exception {
        try {
            request.get(10, TimeUnit.SECONDS);
            return "ok";
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SluiceError.class);
            return ((SluiceError) e.getCause()).name();
        }
    }

    @Test
    void prekeysAndTheirLimitAreSharedByBothGateways() throws Exception {
        Map<String, String> settings = Map.of(
                "sluice.limits.store", "redis",
                "sluice.limits.prekey-requests", "2/1h",
                "sluice.prekeys.check-interval", "1h");
        List<SluiceClient> clients = new ArrayList<>();
        try (RedisServer redis = RedisServer.start();
                Gateway a = RouteFixtures.gateway(first, "redis.yaml", with(settings, redis));
                Gateway b = RouteFixtures.gateway(second, "redis.yaml", with(settings, redis))) {
            Identity bob = Identity.generate();
            SluiceClient bobDevice = SluiceClient.connect(a.uri()).get();
            clients.add(bobDevice);
            bobDevice.login(bob, 1).get();
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                keys.add(("k-" + i).getBytes(StandardCharsets.UTF_8));
            }
            bobDevice
                    .register(1, "signed".getBytes(StandardCharsets.UTF_8), keys)
                    .get(10, TimeUnit.SECONDS);

            SluiceClient onA = SluiceClient.connect(a.uri()).get();
            SluiceClient onB = SluiceClient.connect(b.uri()).get();
            clients.add(onA);
            clients.add(onB);

            assertThat(onB.requestPreKeys(bob.userId(), Set.of()).get(10, TimeUnit.SECONDS))
                    .as("registered through gateway a, claimed through gateway b")
                    .singleElement()
                    .satisfies(k -> assertThat(k.getAddress().getDeviceID()).isEqualTo(1));
            assertThat(errorName(onA.requestPreKeys(bob.userId(), Set.of()))).isEqualTo("ok");
            assertThat(errorName(onB.requestPreKeys(bob.userId(), Set.of())))
                    .as("the third request within the hour, whichever gateway takes it")
                    .isEqualTo("rate_limited");
            assertThat(errorName(onA.requestPreKeys(bob.userId(), Set.of()))).isEqualTo("rate_limited");
        } finally {
            clients.forEach(SluiceClient::close);
        }
    }

    private static Map<String, String> with(Map<String, String> settings, RedisServer redis) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("sluice.redis.uri", redis.uri());
        return all;
    }
}
