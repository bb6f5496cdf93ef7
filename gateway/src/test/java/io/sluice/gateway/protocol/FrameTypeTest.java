package io.sluice.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.sluice.proto.Messages;
import io.sluice.spi.ErrorName;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** {@link FrameCodec#read}: the envelope type of every frame, requests or not, from the one parse. */
class FrameTypeTest {

    @Test
    void readsTheTypeOfEveryServerFrame() {
        assertThat(FrameCodec.read(FrameCodec.challenge(1, new byte[32])).type())
                .isEqualTo(FrameType.AUTH_CHALLENGE);
        assertThat(FrameCodec.read(FrameCodec.ack(7)).type()).isEqualTo(FrameType.ACK);
        assertThat(FrameCodec.read(FrameCodec.ack(0)).type())
                .as("sequence 0 is not written")
                .isEqualTo(FrameType.ACK);
        assertThat(FrameCodec.read(FrameCodec.error(3, ErrorName.RATE_LIMITED, "x"))
                        .type())
                .isEqualTo(FrameType.ERROR);
        assertThat(FrameCodec.read(FrameCodec.preKeysLow(2, 20)).type()).isEqualTo(FrameType.PRE_KEYS_LOW);
        assertThat(FrameCodec.read(FrameCodec.inbound(9, new byte[100_000])).type())
                .isEqualTo(FrameType.INBOUND_MESSAGE);
    }

    @Test
    void readsTheTypeOfAClientRequestWithTheRequest() {
        ByteBuffer frame = ByteBuffer.wrap(Messages.Message.newBuilder()
                .setSequence(5)
                .setOutboundMessage(Messages.OutboundMessage.newBuilder()
                        .setUnidentifiedSenderMessage(ByteString.copyFromUtf8("sealed")))
                .build()
                .toByteArray());
        FrameCodec.Inbound inbound = FrameCodec.read(frame);
        assertThat(inbound.type()).isEqualTo(FrameType.OUTBOUND_MESSAGE);
        assertThat(inbound.refusal())
                .as("no recipient")
                .satisfies(r -> assertThat(r.sequence()).isEqualTo(5));
    }

    @Test
    void emptyAndInvalidFramesHaveTheirOwnTypes() {
        assertThat(FrameCodec.read(ByteBuffer.wrap(Messages.Message.newBuilder()
                                .setSequence(1)
                                .build()
                                .toByteArray()))
                        .type())
                .isEqualTo(FrameType.EMPTY);
        assertThat(FrameCodec.read(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}))
                        .type())
                .isEqualTo(FrameType.INVALID);
        assertThat(FrameCodec.read(ByteBuffer.wrap(new byte[] {0x5a, 0x10, 1})).type())
                .as("truncated")
                .isEqualTo(FrameType.INVALID);
    }
}
