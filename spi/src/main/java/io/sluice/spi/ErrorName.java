package io.sluice.spi;

import java.util.Arrays;
import java.util.Optional;

/** The error names of the protocol: the only values {@code Error.name} takes on the wire. */
public enum ErrorName {
    /** Login failed, or a request that needs authentication arrived on an anonymous connection. */
    UNAUTHORIZED("unauthorized"),
    /** An anonymous-only request, or a second login, on an authenticated connection. */
    ATTEMPTED_ANONYMOUS_OP_ON_AUTHENTICATED_CONNECTION("attempted_anonymous_op_on_authenticated_connection"),
    /** A frame that does not parse, an unknown or empty payload, or a request missing a required field. */
    INVALID_MESSAGE("invalid_message"),
    /** A UserID that is not 33 bytes starting with 0x05. */
    INVALID_USER_ID("invalid_user_id"),
    /** Prekeys were requested for a user with no registered device. */
    UNKNOWN_USER("unknown_user"),
    /**
     * A backend is down or timed out; the request was not durably accepted and the client may retry. After a
     * timeout of a remote backend (a Kafka producer, an HTTP store) the backend may still have taken it, which
     * the gateway cannot know: a retried message can then arrive twice, never zero times.
     */
    UNAVAILABLE("unavailable"),
    /** The client exceeded a configured limit. */
    RATE_LIMITED("rate_limited"),
    /** Anything else; the description says what. */
    UNKNOWN_ERROR("unknown_error");

    private final String wireName;

    ErrorName(String wireName) {
        this.wireName = wireName;
    }

    /** The name as it travels in {@code Error.name}. */
    public String wireName() {
        return wireName;
    }

    /** The error with this wire name, if it is one of the protocol's. */
    public static Optional<ErrorName> ofWireName(String name) {
        return Arrays.stream(values()).filter(e -> e.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
