package io.sluice.connector.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import io.sluice.spi.Address;
import io.sluice.testkit.TestKeys;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueKeysTest {

    @Test
    void everyKeyAndTheChannelOfADeviceShareOneSlot() {
        Address address = TestKeys.address(7);
        QueueKeys keys = QueueKeys.of(address);
        List<byte[]> all = List.of(
                keys.sequence(),
                keys.messages(),
                keys.usage(),
                keys.streams(),
                keys.dedup("any id, even {braced}"),
                keys.held("call-1", "a {braced} stream"),
                keys.channel());
        int slot = SlotHash.getSlot(keys.messages());
        assertThat(all).allSatisfy(key -> assertThat(SlotHash.getSlot(key)).isEqualTo(slot));
        assertThat(new String(keys.messages(), StandardCharsets.UTF_8)).isEqualTo("sluice:q:{" + address + "}:m");
    }

    @Test
    void devicesOfOneUserHaveTheirOwnKeys() {
        Address one = TestKeys.address(1);
        Address two = new Address(one.userId(), 2);
        assertThat(QueueKeys.of(one).messages()).isNotEqualTo(QueueKeys.of(two).messages());
    }
}
