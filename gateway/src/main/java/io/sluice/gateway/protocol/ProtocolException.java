package io.sluice.gateway.protocol;

import io.sluice.spi.ErrorName;
import io.sluice.spi.SluiceException;
import java.util.Optional;

/**
 * A request the gateway refuses: answered with an {@code Error} of its name, carrying the request's sequence,
 * and, when the connection cannot go on, closed with its close status.
 */
public final class ProtocolException extends SluiceException {
    private static final long serialVersionUID = 1L;

    private final int sequence;
    private final transient CloseStatus closeStatus;

    private ProtocolException(ErrorName name, int sequence, String description, CloseStatus closeStatus) {
        super(name, description);
        this.sequence = sequence;
        this.closeStatus = closeStatus;
    }

    /** Answered, and the connection stays open. */
    public static ProtocolException of(ErrorName name, int sequence, String description) {
        return new ProtocolException(name, sequence, description, null);
    }

    /** Answered, then the connection is closed with {@code closeStatus}. */
    public static ProtocolException closing(ErrorName name, int sequence, String description, CloseStatus closeStatus) {
        return new ProtocolException(name, sequence, description, closeStatus);
    }

    /** A failure of a request with a known sequence, keeping its name and description. */
    public static ProtocolException of(SluiceException failure, int sequence) {
        return failure instanceof ProtocolException p && p.sequence == sequence
                ? p
                : new ProtocolException(failure.errorName(), sequence, failure.description(), null);
    }

    /** The sequence of the request this answers; 0 when the frame did not parse. */
    public int sequence() {
        return sequence;
    }

    /** How the connection is closed after the error, when it is. */
    public Optional<CloseStatus> closeStatus() {
        return Optional.ofNullable(closeStatus);
    }
}
