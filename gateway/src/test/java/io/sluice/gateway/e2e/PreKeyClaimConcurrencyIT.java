package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.oneTime;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayExtension;
import io.sluice.proto.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many anonymous clients claiming one device's keys at once, each on its own connection: no key twice. */
class PreKeyClaimConcurrencyIT {
    @RegisterExtension
    // The race of 50 claims is under test, not the per-user limit (a burst of 10 by default), which PreKeyDrainIT
    // and LimitsIT cover.
    static final GatewayExtension GATEWAY =
            GatewayExtension.withSettings(java.util.Map.of("sluice.limits.prekey-requests", "off"));

    @Test
    void fiftyClientsClaimingTenKeysGetTenDistinctKeysAndFortyWithout() throws Exception {
        Identity bob = Identity.generate();
        GATEWAY.login(bob, 1).register(7, bytes("signed"), oneTime("key", 10)).get();
        List<SluiceClient> clients = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            clients.add(GATEWAY.connect());
        }

        List<CompletableFuture<List<Messages.PreKey>>> claims = clients.stream()
                .map(c -> c.requestPreKeys(bob.userId(), Set.of()))
                .toList();
        CompletableFuture.allOf(claims.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        List<String> keys = new ArrayList<>();
        int without = 0;
        for (CompletableFuture<List<Messages.PreKey>> claim : claims) {
            Messages.PreKey preKey = claim.get().get(0);
            assertThat(preKey.getSignedPreKey().toStringUtf8()).isEqualTo("signed");
            if (preKey.getOneTimePreKey().isEmpty()) {
                without++;
            } else {
                keys.add(preKey.getOneTimePreKey().toStringUtf8());
            }
        }
        assertThat(keys).hasSize(10).doesNotHaveDuplicates();
        assertThat(without).isEqualTo(40);
    }
}
