package io.sluice.client;

/**
 * The server answered a request with {@code Error{name, description}}; {@link #name()} is one of the protocol's
 * error names (see {@link #UNAVAILABLE} and the others).
 */
public final class SluiceError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Login failed, or the request needs an authenticated connection. */
    public static final String UNAUTHORIZED = "unauthorized";
    /** {@code requestPreKeys} or {@code outboundMessage} on an authenticated connection, or a second login. */
    public static final String ATTEMPTED_ANONYMOUS_OP_ON_AUTHENTICATED_CONNECTION =
            "attempted_anonymous_op_on_authenticated_connection";
    /** A frame that does not parse, an unknown or empty payload, or a request missing a required field. */
    public static final String INVALID_MESSAGE = "invalid_message";
    /** A UserID that is not 33 bytes starting with 0x05. */
    public static final String INVALID_USER_ID = "invalid_user_id";
    /** {@code requestPreKeys} for a user with no registered device. */
    public static final String UNKNOWN_USER = "unknown_user";
    /** A backend is down or timed out; nothing was stored, the request may be sent again. */
    public static final String UNAVAILABLE = "unavailable";
    /** The client exceeded a configured limit; nothing was done, the request may be sent again later. */
    public static final String RATE_LIMITED = "rate_limited";
    /** Anything else; the description says what. */
    public static final String UNKNOWN_ERROR = "unknown_error";

    private final String name;
    private final String description;

    /** An error reply with this name and description. */
    public SluiceError(String name, String description) {
        super(name + (description == null || description.isEmpty() ? "" : ": " + description));
        this.name = name;
        this.description = description == null ? "" : description;
    }

    /** The protocol error name, for example {@code unknown_user}. */
    public String name() {
        return name;
    }

    /** The server's free-text description, possibly empty. */
    public String description() {
        return description;
    }

    /**
     * Whether the server did nothing and the same request may be sent again: true for {@code unavailable} (at
     * once, or elsewhere) and {@code rate_limited} (later).
     */
    public boolean retryable() {
        return name.equals(UNAVAILABLE) || name.equals(RATE_LIMITED);
    }
}
