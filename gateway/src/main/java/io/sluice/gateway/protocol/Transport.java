package io.sluice.gateway.protocol;

import java.nio.ByteBuffer;

/** The socket under a {@link Connection}: Jetty's WebSocket session in the server, a recorder in tests. */
public interface Transport {

    /** Sends one binary frame now, after any frames {@link #queue queued} before it; frames go out in order. */
    void send(ByteBuffer frame);

    /**
     * Queues one binary frame to go out with the next {@link #flush()} or {@link #send}: a burst of frames costs
     * one write. The default sends it at once.
     */
    default void queue(ByteBuffer frame) {
        send(frame);
    }

    /** Writes out the frames {@link #queue queued} so far. */
    default void flush() {}

    /** Reads the next frame: the connection had stopped reading to slow a client that sent too much at once. */
    default void resumeReading() {}

    /** Sends a close frame and closes. */
    void close(CloseStatus status, String reason);
}
