package io.sluice.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.gateway.protocol.FrameCodec;
import io.sluice.gateway.protocol.FrameType;
import io.sluice.gateway.protocol.ProtocolException;
import io.sluice.gateway.protocol.Request;
import java.nio.ByteBuffer;

/**
 * Any bytes a client can send as one binary frame: {@link FrameCodec#read} names a type and either a request or a
 * {@link ProtocolException}, never both, never throws; {@link FrameCodec#decode} returns a request or throws that
 * {@link ProtocolException}, nothing else, and never hangs (Jazzer fails an input that takes longer than its
 * per-input timeout).
 */
class FrameCodecFuzzTest {

    @FuzzTest
    void decodeReturnsARequestOrThrowsProtocolException(byte[] frame) {
        FrameCodec.Inbound inbound = FrameCodec.read(ByteBuffer.wrap(frame));
        FrameType type = inbound.type();
        assertThat(type).isNotNull();
        assertThat(inbound.request() == null).as("a request or a refusal").isNotEqualTo(inbound.refusal() == null);
        try {
            Request request = FrameCodec.decode(ByteBuffer.wrap(frame));
            assertThat(request).isNotNull();
        } catch (ProtocolException expected) {
            assertThat(expected.errorName()).isNotNull();
            assertThat(expected.description()).isNotNull();
        }
    }
}
