package io.sluice.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.sluice.proto.Messages;
import io.sluice.spi.ErrorName;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** {@link FrameCodec#typeOf}: the envelope type from the tags alone, the buffer untouched. */
class FrameTypeTest {

    @Test
    void readsTheTypeOfEveryServerFrame() {
        assertThat(FrameCodec.typeOf(FrameCodec.challenge(1, new byte[32]))).isEqualTo(FrameType.AUTH_CHALLENGE);
        assertThat(FrameCodec.typeOf(FrameCodec.ack(7))).isEqualTo(FrameType.ACK);
        assertThat(FrameCodec.typeOf(FrameCodec.ack(0)))
                .as("sequence 0 is not written")
                .isEqualTo(FrameType.ACK);
        assertThat(FrameCodec.typeOf(FrameCodec.error(3, ErrorName.RATE_LIMITED, "x")))
                .isEqualTo(FrameType.ERROR);
        assertThat(FrameCodec.typeOf(FrameCodec.preKeysLow(2, 20))).isEqualTo(FrameType.PRE_KEYS_LOW);
        assertThat(FrameCodec.typeOf(FrameCodec.inbound(9, new byte[100_000]))).isEqualTo(FrameType.INBOUND_MESSAGE);
    }

    @Test
    void readsTheTypeOfAClientRequestAndLeavesTheBufferForDecoding() {
        ByteBuffer frame = ByteBuffer.wrap(Messages.Message.newBuilder()
                .setSequence(5)
                .setOutboundMessage(Messages.OutboundMessage.newBuilder()
                        .setUnidentifiedSenderMessage(ByteString.copyFromUtf8("sealed")))
                .build()
                .toByteArray());
        int position = frame.position();
        assertThat(FrameCodec.typeOf(frame)).isEqualTo(FrameType.OUTBOUND_MESSAGE);
        assertThat(frame.position()).isEqualTo(position);
    }

    @Test
    void emptyAndInvalidFramesHaveTheirOwnTypes() {
        assertThat(FrameCodec.typeOf(ByteBuffer.wrap(
                        Messages.Message.newBuilder().setSequence(1).build().toByteArray())))
                .isEqualTo(FrameType.EMPTY);
        assertThat(FrameCodec.typeOf(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff})))
                .isEqualTo(FrameType.INVALID);
        assertThat(FrameCodec.typeOf(ByteBuffer.wrap(new byte[] {0x5a, 0x10, 1})))
                .as("truncated")
                .isEqualTo(FrameType.INVALID);
    }
}
