package io.sluice.gateway.protocol;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a connection stands with its login, changed only by compare-and-set: anonymous until a login begins, then
 * authenticated only if the login completes while the connection is still open. A close at any point wins, so a
 * login that completes after its connection closed leaves nothing behind.
 *
 * <pre>
 * ANONYMOUS --begin--> LOGGING_IN --complete--> AUTHENTICATED
 *     ^                    |
 *     +-------abort--------+        any state --close--> CLOSED
 * </pre>
 */
final class LoginState {
    enum State {
        ANONYMOUS,
        LOGGING_IN,
        AUTHENTICATED,
        CLOSED
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.ANONYMOUS);

    State current() {
        return state.get();
    }

    /** A login starts; false when the connection is not anonymous (logged in, logging in, or closed). */
    boolean begin() {
        return state.compareAndSet(State.ANONYMOUS, State.LOGGING_IN);
    }

    /** The login failed and the connection stays anonymous (unless it closed meanwhile). */
    void abort() {
        state.compareAndSet(State.LOGGING_IN, State.ANONYMOUS);
    }

    /** The login succeeded; false when the connection closed meanwhile, and must then start nothing. */
    boolean complete() {
        return state.compareAndSet(State.LOGGING_IN, State.AUTHENTICATED);
    }

    /** The connection closed; returns the state it was in. */
    State close() {
        return state.getAndSet(State.CLOSED);
    }
}
