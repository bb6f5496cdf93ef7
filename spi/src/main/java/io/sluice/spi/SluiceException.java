package io.sluice.spi;

import java.util.Objects;

/**
 * A failure that answers a request with a protocol {@code Error}. Thrown by connectors and routes (a route may
 * also name the error in the {@link SluiceHeaders#ERROR} header instead); the gateway turns it into the wire
 * error in one place. Any other exception out of a route is a backend failure and answers
 * {@link ErrorName#UNAVAILABLE}.
 */
public class SluiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorName errorName;

    public SluiceException(ErrorName errorName, String description) {
        this(errorName, description, null);
    }

    public SluiceException(ErrorName errorName, String description, Throwable cause) {
        super(description, cause);
        this.errorName = Objects.requireNonNull(errorName, "errorName");
    }

    /** The protocol error this failure answers with. */
    public ErrorName errorName() {
        return errorName;
    }

    /** The human-readable description sent in {@code Error.description}. */
    public String description() {
        return getMessage() == null ? "" : getMessage();
    }

    /** {@link ErrorName#UNAVAILABLE}: a backend is down or timed out, nothing was stored. */
    public static SluiceException unavailable(String description, Throwable cause) {
        return new SluiceException(ErrorName.UNAVAILABLE, description, cause);
    }

    /** {@link ErrorName#UNKNOWN_USER}: no device of the user is registered. */
    public static SluiceException unknownUser(UserId userId) {
        return new SluiceException(ErrorName.UNKNOWN_USER, "no registered device for user " + userId);
    }

    /** {@link ErrorName#INVALID_MESSAGE}: a request that is malformed or misses a required field. */
    public static SluiceException invalidMessage(String description) {
        return new SluiceException(ErrorName.INVALID_MESSAGE, description);
    }
}
