package io.sluice.gateway.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sluice.proto.Messages;
import io.sluice.spi.Address;
import io.sluice.spi.ErrorName;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.Registration;
import io.sluice.spi.SluiceException;
import io.sluice.spi.UserId;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The protobuf edge: frames in, {@link Request}s out; replies and server messages in, frames out. Nothing
 * else in the gateway touches the generated classes. A frame that does not parse, or a request that misses a
 * required field, becomes one {@link ProtocolException}.
 */
public final class FrameCodec {
    private FrameCodec() {}

    /**
     * A decoded frame: its envelope type, and either the request or why it is refused.
     *
     * @param type the envelope type ({@link FrameType#INVALID} when the frame does not parse)
     * @param request the request, or null when refused
     * @param refusal why the frame is refused ({@code invalid_message}, sequence 0 when it does not parse; or {@code
     *     invalid_user_id}), or null
     */
    public record Inbound(FrameType type, Request request, ProtocolException refusal) {}

    /** Decodes one binary frame, parsing it once; never throws. */
    public static Inbound read(ByteBuffer frame) {
        Messages.Message message;
        try {
            message = Messages.Message.parseFrom(frame);
        } catch (InvalidProtocolBufferException e) {
            return new Inbound(
                    FrameType.INVALID,
                    null,
                    ProtocolException.of(ErrorName.INVALID_MESSAGE, 0, "the frame is not a signal.Message"));
        }
        FrameType type = type(message.getPayloadCase());
        int seq = message.getSequence();
        try {
            Request request = switch (message.getPayloadCase()) {
                case AUTHRESPONSE -> login(seq, message.getAuthResponse());
                case REGISTER -> register(seq, message.getRegister());
                case UNREGISTER -> new Request.Unregister(seq);
                case REQUESTPREKEYS -> requestPreKeys(seq, message.getRequestPreKeys());
                case OUTBOUNDMESSAGE -> outbound(seq, message.getOutboundMessage());
                case ACK -> new Request.Ack(seq);
                case PAYLOAD_NOT_SET -> throw SluiceException.invalidMessage("the message has no payload");
                default ->
                    throw SluiceException.invalidMessage("'"
                            + message.getPayloadCase().name().toLowerCase(java.util.Locale.ROOT)
                            + "' is sent by the server, not a request");
            };
            return new Inbound(type, request, null);
        } catch (SluiceException e) {
            return new Inbound(type, null, ProtocolException.of(e, seq));
        }
    }

    /**
     * Decodes one binary frame.
     *
     * @throws ProtocolException {@code invalid_message} (sequence 0 when the frame does not parse) or {@code
     *     invalid_user_id}
     */
    public static Request decode(ByteBuffer frame) {
        Inbound inbound = read(frame);
        if (inbound.refusal() != null) {
            throw inbound.refusal();
        }
        return inbound.request();
    }

    private static FrameType type(Messages.Message.PayloadCase payload) {
        return switch (payload) {
            case ACK -> FrameType.ACK;
            case ERROR -> FrameType.ERROR;
            case AUTHCHALLENGE -> FrameType.AUTH_CHALLENGE;
            case AUTHRESPONSE -> FrameType.AUTH_RESPONSE;
            case REGISTER -> FrameType.REGISTER;
            case UNREGISTER -> FrameType.UNREGISTER;
            case REQUESTPREKEYS -> FrameType.REQUEST_PRE_KEYS;
            case PREKEY -> FrameType.PRE_KEY;
            case PREKEYSLOW -> FrameType.PRE_KEYS_LOW;
            case OUTBOUNDMESSAGE -> FrameType.OUTBOUND_MESSAGE;
            case INBOUNDMESSAGE -> FrameType.INBOUND_MESSAGE;
            case PAYLOAD_NOT_SET -> FrameType.EMPTY;
        };
    }

    private static Request.Login login(int seq, Messages.AuthResponse response) {
        byte[] loginBytes = response.getLogin().toByteArray();
        Optional<Request.LoginClaim> claim;
        try {
            Messages.Login login = Messages.Login.parseFrom(loginBytes);
            claim = login.hasAddress()
                    ? Optional.of(new Request.LoginClaim(
                            address(login.getAddress()), login.getNonce().toByteArray()))
                    : Optional.empty();
        } catch (InvalidProtocolBufferException | SluiceException e) {
            claim = Optional.empty();
        }
        return new Request.Login(seq, claim, loginBytes, response.getSignature().toByteArray());
    }

    private static Request.Register register(int seq, Messages.Register register) {
        if (register.getSignedPreKey().isEmpty()) {
            throw SluiceException.invalidMessage("register: signedPreKey is required");
        }
        List<byte[]> oneTime = register.getOneTimePreKeysList().stream()
                .map(ByteString::toByteArray)
                .toList();
        if (oneTime.stream().anyMatch(k -> k.length == 0)) {
            throw SluiceException.invalidMessage("register: a oneTimePreKey is empty");
        }
        return new Request.Register(
                seq,
                new Registration(
                        register.getRegistrationID(), register.getSignedPreKey().toByteArray(), oneTime));
    }

    private static Request.RequestPreKeys requestPreKeys(int seq, Messages.RequestPreKeys request) {
        if (request.getUserID().isEmpty()) {
            throw SluiceException.invalidMessage("requestPreKeys: userID is required");
        }
        Set<Integer> known = new HashSet<>(request.getKnownDeviceIDsList());
        return new Request.RequestPreKeys(
                seq, new PreKeyRequest(UserId.of(request.getUserID().toByteArray()), known));
    }

    private static Request.Outbound outbound(int seq, Messages.OutboundMessage outbound) {
        if (!outbound.hasTo() || outbound.getTo().getUserID().isEmpty()) {
            throw SluiceException.invalidMessage("outboundMessage: to is required");
        }
        if (outbound.getUnidentifiedSenderMessage().isEmpty()) {
            throw SluiceException.invalidMessage("outboundMessage: unidentifiedSenderMessage is required");
        }
        return new Request.Outbound(
                seq,
                address(outbound.getTo()),
                outbound.getUnidentifiedSenderMessage().toByteArray());
    }

    private static Address address(Messages.Address address) {
        return new Address(UserId.of(address.getUserID().toByteArray()), address.getDeviceID());
    }

    private static ByteBuffer frame(Messages.Message.Builder message) {
        return ByteBuffer.wrap(message.build().toByteArray());
    }

    /** The challenge sent on connect. */
    public static ByteBuffer challenge(int seq, byte[] nonce) {
        return frame(Messages.Message.newBuilder()
                .setSequence(seq)
                .setAuthChallenge(Messages.AuthChallenge.newBuilder().setNonce(ByteString.copyFrom(nonce))));
    }

    /** Success of the request with this sequence. */
    public static ByteBuffer ack(int seq) {
        return frame(Messages.Message.newBuilder().setSequence(seq).setAck(Messages.Ack.getDefaultInstance()));
    }

    /** Failure of the request with this sequence. */
    public static ByteBuffer error(int seq, ErrorName name, String description) {
        return frame(Messages.Message.newBuilder()
                .setSequence(seq)
                .setError(Messages.Error.newBuilder()
                        .setName(name.wireName())
                        .setDescription(description == null ? "" : description)));
    }

    /** One device's key material in answer to requestPreKeys. */
    public static ByteBuffer preKey(int seq, UserId userId, PreKeyBundle bundle) {
        Messages.PreKey.Builder preKey = Messages.PreKey.newBuilder()
                .setAddress(Messages.Address.newBuilder()
                        .setUserID(ByteString.copyFrom(userId.toByteArray()))
                        .setDeviceID(bundle.deviceId()))
                .setRegistrationID(bundle.registrationId())
                .setSignedPreKey(ByteString.copyFrom(bundle.signedPreKey()));
        bundle.oneTimePreKeyIfAny().ifPresent(k -> preKey.setOneTimePreKey(ByteString.copyFrom(k)));
        return frame(Messages.Message.newBuilder().setSequence(seq).setPreKey(preKey));
    }

    /** Asks the client for more one-time prekeys. */
    public static ByteBuffer preKeysLow(int seq, int keysRequested) {
        return frame(Messages.Message.newBuilder()
                .setSequence(seq)
                .setPreKeysLow(Messages.PreKeysLow.newBuilder().setKeysRequested(keysRequested)));
    }

    /** A queued sealed message. */
    public static ByteBuffer inbound(int seq, byte[] sealed) {
        return frame(Messages.Message.newBuilder().setSequence(seq).setInboundMessage(ByteString.copyFrom(sealed)));
    }
}
