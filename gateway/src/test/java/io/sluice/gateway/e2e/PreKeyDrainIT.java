package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.oneTime;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.protocol.Backend;
import io.sluice.gateway.testing.GatewayExtension;
import io.sluice.spi.Address;
import io.sluice.spi.UserId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12.4: with the default limits, an anonymous attacker on many connections could take all 50 one-time prekeys
 * of a device in 251 ms. A burst may now take no more than the low threshold (10).
 */
class PreKeyDrainIT {
    @RegisterExtension
    static final GatewayExtension GATEWAY =
            GatewayExtension.withSettings(Map.of("sluice.prekeys.check-interval", "1h"));

    @Test
    void aBurstOfRequestsFromManyConnectionsTakesNoMoreThanTheLowThresholdOfADevicesStock() throws Exception {
        Identity bob = Identity.generate();
        GATEWAY.login(bob, 1).register(1, bytes("signed"), oneTime("k", 50)).get();

        List<SluiceClient> attackers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            attackers.add(GATEWAY.connect());
        }
        List<CompletableFuture<?>> requests = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (SluiceClient attacker : attackers) {
                requests.add(attacker.requestPreKeys(bob.userId(), Set.of()).exceptionally(e -> null));
            }
        }
        CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        int left = GATEWAY.gateway()
                .backend()
                .preKeyCount(new Backend.Caller("test", 0), new Address(UserId.of(bob.userId()), 1))
                .toCompletableFuture()
                .get();
        assertThat(50 - left).as("one-time prekeys taken by the burst").isLessThanOrEqualTo(10);
    }
}
