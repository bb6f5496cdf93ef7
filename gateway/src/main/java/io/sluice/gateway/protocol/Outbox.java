package io.sluice.gateway.protocol;

import java.nio.ByteBuffer;

/** What a connection sends, each frame counted by its type as it goes: the one way frames reach the transport. */
final class Outbox {
    private final Transport transport;
    private final ConnectionObserver observer;

    Outbox(Transport transport, ConnectionObserver observer) {
        this.transport = transport;
        this.observer = observer;
    }

    /** Sends a frame now. */
    void send(FrameType type, ByteBuffer frame) {
        observer.frameOut(type);
        transport.send(frame);
    }

    /** Queues a frame of a burst; {@link #flush()} sends the burst. */
    void queue(FrameType type, ByteBuffer frame) {
        observer.frameOut(type);
        transport.queue(frame);
    }

    void flush() {
        transport.flush();
    }

    void close(CloseStatus status, String reason) {
        transport.close(status, reason);
    }
}
