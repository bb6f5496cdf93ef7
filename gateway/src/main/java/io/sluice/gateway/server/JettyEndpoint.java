package io.sluice.gateway.server;

import io.sluice.gateway.limits.Limit;
import io.sluice.gateway.protocol.CloseStatus;
import io.sluice.gateway.protocol.Connection;
import io.sluice.gateway.protocol.ConnectionServices;
import io.sluice.gateway.protocol.Transport;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins one Jetty WebSocket session to its {@link Connection}. Reading is demand-driven: the next frame is read
 * when the connection says it may (its request pipeline owns the in-flight count), so a client that pipelines
 * faster than its backends answer is slowed down rather than buffered without bound. Frames a connection queues
 * go into Jetty's batch buffer and out with one write per burst.
 *
 * <p>Public only because Jetty binds listener methods through method handles; not API.
 */
public final class JettyEndpoint implements Session.Listener, Transport {
    private static final Logger LOG = LoggerFactory.getLogger(JettyEndpoint.class);

    private final ConnectionServices services;
    private final WebSocketServer server;
    private final String clientIp;
    private volatile boolean admitted;
    private volatile Session session;
    private volatile CoreSession core;
    private volatile Connection connection;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile long lastSentNanos = lastHeardNanos;
    private volatile long closingSinceNanos = Long.MIN_VALUE;

    JettyEndpoint(ConnectionServices services, WebSocketServer server, String clientIp) {
        this.services = services;
        this.server = server;
        this.clientIp = clientIp;
    }

    Connection connection() {
        return connection;
    }

    /** When the client last sent anything, a pong included. */
    long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** When the server last sent the client a frame, a ping included. */
    long lastSentNanos() {
        return lastSentNanos;
    }

    /** When the keepalive sent its idle close frame, or {@code Long.MIN_VALUE}. */
    long closingSinceNanos() {
        return closingSinceNanos;
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        session = opened;
        core = opened instanceof WebSocketSession jetty ? jetty.getCoreSession() : null;
        admitted = services.limits().tryOpenConnection(clientIp);
        if (!admitted) {
            // Before the challenge: the client learns only that it should come back later.
            LOG.atDebug()
                    .addKeyValue("event", "connection.refused")
                    .addKeyValue("ip", clientIp)
                    .addKeyValue("limit", "connections-per-ip")
                    .log();
            opened.close(
                    CloseStatus.TRY_AGAIN_LATER.code(),
                    "rate_limited: "
                            + services.limits()
                                    .rejection(Limit.CONNECTIONS_PER_IP)
                                    .description(),
                    Callback.NOOP);
            opened.demand();
            return;
        }
        connection = new Connection(this, services, clientIp);
        server.opened(this);
        connection.open();
        opened.demand();
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        lastHeardNanos = System.nanoTime();
        if (connection == null) {
            callback.succeed();
            session.demand();
            return;
        }
        boolean readOn;
        try {
            readOn = connection.onBinary(payload);
        } finally {
            callback.succeed();
        }
        if (readOn) {
            session.demand();
        }
    }

    @Override
    public void resumeReading() {
        session.demand();
    }

    @Override
    public void onWebSocketText(String message) {
        lastHeardNanos = System.nanoTime();
        if (connection != null) {
            connection.onText();
        }
        session.demand();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        lastHeardNanos = System.nanoTime();
        session.sendPong(payload, Callback.NOOP);
        session.demand();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        lastHeardNanos = System.nanoTime();
        session.demand();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        Connection closed = connection;
        if (closed != null) {
            closed.onClose();
            LOG.atDebug()
                    .addKeyValue("event", "closed")
                    .addKeyValue("conn", closed.id())
                    .addKeyValue("status", statusCode)
                    .log();
        }
        if (admitted) {
            services.limits().connectionClosed(clientIp);
        }
        server.closed(this);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        Connection failed = connection;
        LOG.atDebug()
                .addKeyValue("event", "socket.error")
                .addKeyValue("conn", failed == null ? "-" : failed.id())
                .addKeyValue("error", cause.toString())
                .log();
    }

    @Override
    public void send(ByteBuffer frame) {
        write(frame, false);
    }

    @Override
    public void queue(ByteBuffer frame) {
        write(frame, true);
    }

    @Override
    public void flush() {
        CoreSession current = core;
        if (current != null) {
            current.flush(org.eclipse.jetty.util.Callback.NOOP);
        }
    }

    private void write(ByteBuffer frame, boolean batch) {
        Session current = session;
        if (current == null || !current.isOpen()) {
            return;
        }
        lastSentNanos = System.nanoTime();
        CoreSession direct = core;
        if (direct != null) {
            // Jetty's flusher gathers batched frames in its buffer and writes them with the next unbatched frame or
            // flush: one write per burst instead of one per frame.
            direct.sendFrame(new Frame(OpCode.BINARY, frame), org.eclipse.jetty.util.Callback.NOOP, batch);
        } else {
            current.sendBinary(frame, Callback.NOOP);
        }
    }

    /** Stops taking requests; completes when those in progress are answered. See {@link Connection#drain()}. */
    CompletionStage<Void> drain() {
        Connection current = connection;
        return current == null ? CompletableFuture.completedFuture(null) : current.drain();
    }

    /** Pings, for keepalive through NATs and proxies. */
    void ping() {
        Session current = session;
        if (current != null && current.isOpen()) {
            lastSentNanos = System.nanoTime();
            current.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        }
    }

    /** Closes a connection that went silent: a close frame now, {@link #disconnect()} if the peer never answers. */
    void closeIdle() {
        closingSinceNanos = System.nanoTime();
        close(CloseStatus.GOING_AWAY, "idle");
    }

    /** Drops the connection without a close handshake: for a peer that no longer answers. */
    void disconnect() {
        Session current = session;
        if (current != null) {
            current.disconnect();
        }
    }

    @Override
    public void close(CloseStatus status, String reason) {
        Session current = session;
        if (current != null) {
            current.close(status.code(), reason, Callback.NOOP);
        }
    }
}
