package io.sluice.gateway.protocol;

import io.sluice.spi.ErrorName;
import io.sluice.spi.SluiceException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.RuntimeCamelException;

/**
 * Turns whatever a request failed with into the protocol error it answers, in one place: a
 * {@link SluiceException} keeps its own name; a timeout or any other failure of a route or backend is
 * {@code unavailable}, because nothing was stored and the client may retry.
 */
public final class Failures {
    private Failures() {}

    /** The protocol error for a failure. */
    public static SluiceException toSluice(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof SluiceException s) {
            return s;
        }
        if (cause instanceof TimeoutException) {
            return SluiceException.unavailable("the backend did not answer in time", cause);
        }
        return new SluiceException(ErrorName.UNAVAILABLE, "the backend failed: " + describe(cause), cause);
    }

    /** The innermost meaningful cause: wrappers of futures and Camel are peeled off. */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException
                        || t instanceof ExecutionException
                        || t instanceof CamelExecutionException
                        || (t instanceof RuntimeCamelException && t.getClass() == RuntimeCamelException.class))
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The class and message of a failure, for an Error description or a log line. */
    public static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
