package io.sluice.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.sluice.proto.Messages;
import io.sluice.spi.ErrorName;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    private static final byte[] USER = userId();

    private static byte[] userId() {
        byte[] id = new byte[33];
        id[0] = 5;
        id[32] = 9;
        return id;
    }

    private static Request decode(Messages.Message.Builder message) {
        return FrameCodec.decode(ByteBuffer.wrap(message.build().toByteArray()));
    }

    private static void assertRefused(Messages.Message.Builder message, ErrorName name, int sequence) {
        assertThatThrownBy(() -> decode(message)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.errorName()).isEqualTo(name);
            assertThat(e.sequence()).isEqualTo(sequence);
            assertThat(e.closeStatus()).isEmpty();
        });
    }

    @Test
    void decodesOutboundIntoGatewayTypes() {
        Request request = decode(Messages.Message.newBuilder()
                .setSequence(3)
                .setOutboundMessage(Messages.OutboundMessage.newBuilder()
                        .setTo(Messages.Address.newBuilder()
                                .setUserID(ByteString.copyFrom(USER))
                                .setDeviceID(-1))
                        .setUnidentifiedSenderMessage(ByteString.copyFromUtf8("sealed"))));

        assertThat(request).isInstanceOfSatisfying(Request.Outbound.class, o -> {
            assertThat(o.sequence()).isEqualTo(3);
            assertThat(o.to().deviceId()).as("uint32 max survives").isEqualTo(-1);
            assertThat(o.sealed()).asString().isEqualTo("sealed");
        });
    }

    @Test
    void frameThatDoesNotParseIsInvalidMessageWithSequenceZero() {
        assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(new byte[] {0x0A, 0x7F})))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.errorName()).isEqualTo(ErrorName.INVALID_MESSAGE);
                    assertThat(e.sequence()).isZero();
                });
    }

    @Test
    void missingFieldsAreInvalidMessageWithTheirSequence() {
        assertRefused(Messages.Message.newBuilder().setSequence(8), ErrorName.INVALID_MESSAGE, 8);
        assertRefused(
                Messages.Message.newBuilder()
                        .setSequence(9)
                        .setRegister(Messages.Register.newBuilder().setRegistrationID(1)),
                ErrorName.INVALID_MESSAGE,
                9);
        assertRefused(
                Messages.Message.newBuilder()
                        .setSequence(10)
                        .setRequestPreKeys(Messages.RequestPreKeys.getDefaultInstance()),
                ErrorName.INVALID_MESSAGE,
                10);
        assertRefused(
                Messages.Message.newBuilder()
                        .setSequence(11)
                        .setOutboundMessage(Messages.OutboundMessage.newBuilder()
                                .setUnidentifiedSenderMessage(ByteString.copyFromUtf8("x"))),
                ErrorName.INVALID_MESSAGE,
                11);
    }

    @Test
    void malformedUserIdIsInvalidUserId() {
        byte[] wrongType = USER.clone();
        wrongType[0] = 4;
        assertRefused(
                Messages.Message.newBuilder()
                        .setSequence(12)
                        .setRequestPreKeys(
                                Messages.RequestPreKeys.newBuilder().setUserID(ByteString.copyFrom(wrongType))),
                ErrorName.INVALID_USER_ID,
                12);
        assertRefused(
                Messages.Message.newBuilder()
                        .setSequence(13)
                        .setRequestPreKeys(
                                Messages.RequestPreKeys.newBuilder().setUserID(ByteString.copyFrom(new byte[32]))),
                ErrorName.INVALID_USER_ID,
                13);
    }

    @Test
    void serverMessagesSentByAClientAreInvalid() {
        assertRefused(
                Messages.Message.newBuilder()
                        .setSequence(14)
                        .setAuthChallenge(Messages.AuthChallenge.getDefaultInstance()),
                ErrorName.INVALID_MESSAGE,
                14);
    }

    @Test
    void loginThatDoesNotParseKeepsItsBytesButClaimsNothing() {
        Request request = decode(Messages.Message.newBuilder()
                .setSequence(2)
                .setAuthResponse(
                        Messages.AuthResponse.newBuilder().setLogin(ByteString.copyFrom(new byte[] {(byte) 0xFF}))));
        assertThat(request)
                .isInstanceOfSatisfying(
                        Request.Login.class, l -> assertThat(l.login()).isEmpty());
    }

    @Test
    void encodesPreKeyWithoutOneTimeKeyAsEmpty() throws Exception {
        ByteBuffer frame = FrameCodec.preKey(
                4, io.sluice.spi.UserId.of(USER), new io.sluice.spi.PreKeyBundle(2, 3, new byte[] {1}, null));
        Messages.PreKey preKey = Messages.Message.parseFrom(frame).getPreKey();
        assertThat(preKey.getAddress().getDeviceID()).isEqualTo(2);
        assertThat(preKey.getOneTimePreKey().isEmpty()).isTrue();
    }
}
