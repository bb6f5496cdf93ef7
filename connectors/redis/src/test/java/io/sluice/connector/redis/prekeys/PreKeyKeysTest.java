package io.sluice.connector.redis.prekeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import io.sluice.spi.Address;
import io.sluice.spi.UserId;
import io.sluice.testkit.TestKeys;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every key of one user lands in one cluster slot; users spread over the slots. */
class PreKeyKeysTest {
    @Test
    void aUsersKeysShareOneSlot() {
        UserId user = TestKeys.userId();
        int slot = SlotHash.getSlot(PreKeyKeys.registrations(user));

        assertThat(SlotHash.getSlot(PreKeyKeys.signedPreKeys(user))).isEqualTo(slot);
        for (int device : new int[] {1, 2, -1}) {
            assertThat(SlotHash.getSlot(PreKeyKeys.oneTime(new Address(user, device))))
                    .isEqualTo(slot);
        }
        assertThat(SlotHash.getSlot(PreKeyKeys.oneTimePrefix(user))).isEqualTo(slot);
    }

    @Test
    void usersSpreadOverTheSlots() {
        Set<Integer> slots = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            slots.add(SlotHash.getSlot(PreKeyKeys.registrations(TestKeys.userId())));
        }
        assertThat(slots).hasSizeGreaterThan(90);
    }

    @Test
    void deviceIdsAreUnsignedDecimal() {
        assertThat(PreKeyKeys.device(-1)).isEqualTo("4294967295");
    }
}
