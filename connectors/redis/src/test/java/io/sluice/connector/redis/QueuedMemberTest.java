package io.sluice.connector.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.QueuedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The members of a device's messages set, {@code <id>:<queued-at ms>:<body>}, as enqueue.lua writes them. */
class QueuedMemberTest {

    @Test
    void aMemberIsItsIdItsTimeAndItsBodyWhateverBytesTheBodyHolds() {
        byte[] body = {':', 0, (byte) 0xff, ':', 'x'};
        byte[] prefix = "1781234567890123:1781234567890:".getBytes(StandardCharsets.US_ASCII);
        byte[] member = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, member, 0, prefix.length);
        System.arraycopy(body, 0, member, prefix.length, body.length);

        QueuedMessage message = RedisMessageQueue.message(member);

        assertThat(message.id()).isEqualTo(1781234567890123L);
        assertThat(message.queuedAt()).isEqualTo(Instant.ofEpochMilli(1781234567890L));
        assertThat(message.body()).containsExactly(body);
    }

    @Test
    void anEmptyBodyIsAnEmptyBody() {
        QueuedMessage message = RedisMessageQueue.message("5:6:".getBytes(StandardCharsets.US_ASCII));
        assertThat(message.id()).isEqualTo(5);
        assertThat(message.body()).isEmpty();
    }
}
