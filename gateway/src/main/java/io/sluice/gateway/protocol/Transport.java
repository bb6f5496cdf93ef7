package io.sluice.gateway.protocol;

import java.nio.ByteBuffer;

/** The socket under a {@link Connection}: Jetty's WebSocket session in the server, a recorder in tests. */
public interface Transport {

    /** Sends one binary frame; frames go out in the order sent. */
    void send(ByteBuffer frame);

    /** Sends a close frame and closes. */
    void close(CloseStatus status, String reason);
}
