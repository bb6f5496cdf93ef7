package io.sluice.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.gateway.protocol.FrameCodec;
import io.sluice.gateway.protocol.FrameType;
import io.sluice.gateway.protocol.ProtocolException;
import io.sluice.gateway.protocol.Request;
import java.nio.ByteBuffer;

/**
 * Any bytes a client can send as one binary frame: {@link FrameCodec#typeOf} names a type and leaves the buffer as
 * it was; {@link FrameCodec#decode} returns a request or throws {@link ProtocolException}, nothing else, and never
 * hangs (Jazzer fails an input that takes longer than its per-input timeout).
 */
class FrameCodecFuzzTest {

    @FuzzTest
    void decodeReturnsARequestOrThrowsProtocolException(byte[] frame) {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        FrameType type = FrameCodec.typeOf(buffer);
        assertThat(type).isNotNull();
        assertThat(buffer.position()).isZero();
        assertThat(buffer.remaining()).isEqualTo(frame.length);
        try {
            Request request = FrameCodec.decode(buffer);
            assertThat(request).isNotNull();
        } catch (ProtocolException expected) {
            assertThat(expected.errorName()).isNotNull();
            assertThat(expected.description()).isNotNull();
        }
    }
}
