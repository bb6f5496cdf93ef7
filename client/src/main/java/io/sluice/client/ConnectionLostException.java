package io.sluice.client;

/**
 * A request's connection closed before its answer arrived, or the client was closed. Whether the server acted on
 * the request is unknown, so sending it again is the caller's choice; see {@link SluiceClient} for the requests
 * the client sends again by itself. It extends
 * {@link IllegalStateException} because it replaced that exception for these failures.
 */
public final class ConnectionLostException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** A lost connection, described for humans. */
    public ConnectionLostException(String message) {
        super(message);
    }
}
