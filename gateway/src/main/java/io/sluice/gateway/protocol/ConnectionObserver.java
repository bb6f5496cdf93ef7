package io.sluice.gateway.protocol;

import io.sluice.spi.ErrorName;
import java.time.Duration;

/**
 * Told what happens on connections, for metrics. Called on the connections' threads: implementations must be
 * quick and thread-safe. Every method does nothing by default.
 */
public interface ConnectionObserver {
    /** Observes nothing. */
    ConnectionObserver NONE = new ConnectionObserver() {};

    /** A connection opened; it is anonymous. */
    default void opened() {}

    /** An anonymous connection logged in. */
    default void authenticated() {}

    /** A connection closed; {@code authenticated} says which kind it was by then. */
    default void closed(boolean authenticated) {}

    /** A frame arrived. */
    default void frameIn(FrameType type) {}

    /** A frame went out. */
    default void frameOut(FrameType type) {}

    /**
     * A request of this type was answered, {@code error} being null on success, {@code nanos} after its frame
     * arrived.
     */
    default void answered(FrameType type, ErrorName error, long nanos) {}

    /** A queued message was sent to a connection of its recipient, {@code lag} after the queue accepted it. */
    default void delivered(Duration lag) {}
}
