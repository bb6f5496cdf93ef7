package io.sluice.client;

import com.google.protobuf.InvalidProtocolBufferException;
import io.sluice.proto.Messages;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One WebSocket of a {@link SluiceClient}: its session, its challenge and the requests sent on it that await an
 * answer. A client has one at a time; a lost one is never reused. Public only because Jetty binds listener
 * methods through method handles: not API.
 */
public final class Connection implements Session.Listener.AutoDemanding {
    /** What a connection tells its client. */
    interface Events {
        void onMessage(Connection connection, Messages.Message message);

        void onPing();

        void onLost(Connection connection, SluiceClient.CloseInfo how);
    }

    private final Events events;
    private final URI uri;
    private final ClientOptions options;
    private final CompletableFuture<byte[]> challenge = new CompletableFuture<>();
    // The calls sent on this connection that await their answer, by the sequence they were sent with.
    private final Map<Integer, Call> pending = new ConcurrentHashMap<>();
    private volatile Session session;
    // Guarded by the client's lock: once set, nothing more is sent on this connection and its pending calls
    // have been resent or failed.
    private boolean lost;

    Connection(Events events, URI uri, ClientOptions options) {
        this.events = events;
        this.uri = uri;
        this.options = options;
    }

    URI uri() {
        return uri;
    }

    CompletableFuture<byte[]> challenge() {
        return challenge;
    }

    Map<Integer, Call> pending() {
        return pending;
    }

    boolean lost() {
        return lost;
    }

    void markLost() {
        lost = true;
    }

    boolean isOpen() {
        Session current = session;
        return current != null && current.isOpen();
    }

    /** Sends one frame; false when the session is not open (the close is on its way to the client). */
    boolean send(ByteBuffer frame) {
        Session current = session;
        if (current == null || !current.isOpen()) {
            return false;
        }
        current.sendBinary(frame, Callback.NOOP);
        return true;
    }

    boolean sendText(String text) {
        Session current = session;
        if (current == null || !current.isOpen()) {
            return false;
        }
        current.sendText(text, Callback.NOOP);
        return true;
    }

    void close(int status, String reason) {
        Session current = session;
        if (current != null && current.isOpen()) {
            current.close(status, reason, Callback.NOOP);
        }
    }

    /** Drops the connection without a close handshake: for a peer that stopped answering. */
    void abort() {
        Session current = session;
        if (current != null) {
            current.disconnect();
        }
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        session = opened;
        opened.setIdleTimeout(options.idleTimeout());
        opened.setMaxBinaryMessageSize(options.maxFrameBytes());
        opened.setMaxFrameSize(options.maxFrameBytes());
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        Messages.Message message;
        try {
            message = Messages.Message.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            callback.fail(e);
            return;
        }
        if (message.hasAuthChallenge()) {
            challenge.complete(message.getAuthChallenge().getNonce().toByteArray());
        } else {
            events.onMessage(this, message);
        }
        callback.succeed();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        events.onPing();
        Session current = session;
        if (current != null) {
            current.sendPong(payload, Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        challenge.completeExceptionally(new ConnectionLostException("connection closed: " + statusCode + " " + reason));
        events.onLost(this, new SluiceClient.CloseInfo(statusCode, reason));
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // Jetty follows an error with onWebSocketClose, which carries the status; before the session opened the
        // connect future fails instead.
        challenge.completeExceptionally(cause);
    }
}
