package io.sluice.gateway.server;

import java.time.Duration;

/**
 * When to ping a connection and when to give up on it: times in, a decision out, so it is tested without a
 * socket or a clock.
 *
 * <p>The ping interval is an upper bound, not a period. Mobile stacks and carrier NATs drop a connection after
 * as little as 30 s of silence (an iOS {@code URLSessionWebSocketTask} fails with -1001 "timed out" after 30 s
 * idle), so a ping that arrives exactly on the interval races the timer it is meant to beat. A connection is
 * therefore pinged once either direction has been quiet for {@link #PING_AT} of the interval, and the sweep looks
 * every {@link #TICKS_PER_INTERVAL}th of it: no connection goes more than 90% of the interval without a frame
 * from the server. Pinging when the client has been quiet, even while the server is sending, makes a live client
 * answer, so only a dead one runs into the idle timeout.
 */
final class Keepalive {
    /** The fraction of the ping interval after which a quiet connection is pinged. */
    static final double PING_AT = 0.8;
    /** How many sweeps run per ping interval. */
    static final int TICKS_PER_INTERVAL = 10;

    private static final long MIN_TICK_NANOS = Duration.ofMillis(10).toNanos();

    /** What the sweep does with one connection. */
    enum Action {
        /** It is busy enough: nothing. */
        NONE,
        /** Ping it. */
        PING,
        /** It has been silent past the idle timeout: send a close frame. */
        CLOSE,
        /** A close frame went out a ping interval ago and the peer never finished the handshake: drop it. */
        DISCONNECT
    }

    private final long intervalNanos;
    private final long pingAfterNanos;
    private final long idleNanos;

    Keepalive(Duration pingInterval, Duration idleTimeout) {
        this.intervalNanos = pingInterval.toNanos();
        this.pingAfterNanos = (long) (intervalNanos * PING_AT);
        this.idleNanos = idleTimeout.toNanos();
    }

    /** How often the sweep runs. */
    Duration tick() {
        return Duration.ofNanos(Math.max(MIN_TICK_NANOS, intervalNanos / TICKS_PER_INTERVAL));
    }

    /**
     * The action for one connection.
     *
     * @param now          the current {@link System#nanoTime()}
     * @param lastSent     when the server last sent the connection a frame, pings included
     * @param lastHeard    when the client last sent anything, pongs included
     * @param closingSince when the idle close frame was sent, or {@code Long.MIN_VALUE} when it was not
     */
    Action decide(long now, long lastSent, long lastHeard, long closingSince) {
        if (closingSince != Long.MIN_VALUE) {
            return now - closingSince >= intervalNanos ? Action.DISCONNECT : Action.NONE;
        }
        if (now - lastHeard >= idleNanos) {
            return Action.CLOSE;
        }
        if (now - lastSent >= pingAfterNanos || now - lastHeard >= pingAfterNanos) {
            return Action.PING;
        }
        return Action.NONE;
    }
}
