package io.sluice.gateway.protocol;

/** The envelope type of a frame, by its payload: the {@code type} tag of the frame and request metrics. */
public enum FrameType {
    ACK("ack"),
    ERROR("error"),
    AUTH_CHALLENGE("authChallenge"),
    AUTH_RESPONSE("authResponse"),
    REGISTER("register"),
    UNREGISTER("unregister"),
    REQUEST_PRE_KEYS("requestPreKeys"),
    PRE_KEY("preKey"),
    PRE_KEYS_LOW("preKeysLow"),
    OUTBOUND_MESSAGE("outboundMessage"),
    INBOUND_MESSAGE("inboundMessage"),
    /** A message with no payload. */
    EMPTY("empty"),
    /** Bytes that are not a {@code signal.Message}. */
    INVALID("invalid");

    private final String tag;

    FrameType(String tag) {
        this.tag = tag;
    }

    /** The name as in {@code Messages.proto}, used as a metric tag. */
    public String tag() {
        return tag;
    }
}
