package io.sluice.gateway.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deadline for everything before a connection becomes a WebSocket: the TLS handshake and the whole HTTP upgrade
 * request head. Jetty's idle timeout restarts with every byte, so a client dribbling its request one byte at a time
 * (slowloris) would hold the socket for ever; Jetty 12 has no deadline on a request head (its minimum data rate
 * covers request content only), hence this one.
 *
 * <p>Armed when a connection's HTTP/1.1 parser opens (inside TLS, that is before the TLS handshake), disarmed when
 * that HTTP connection closes, which it does when the upgrade hands the socket to the WebSocket. At the deadline a
 * socket still speaking HTTP is closed.
 */
final class HandshakeDeadline implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeDeadline.class);

    private final Duration deadline;
    private final Scheduler scheduler;
    private final Map<Connection, Scheduler.Task> armed = new ConcurrentHashMap<>();

    HandshakeDeadline(Duration deadline, Scheduler scheduler) {
        this.deadline = deadline;
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection) {
            armed.put(
                    connection,
                    scheduler.schedule(() -> expire(connection), deadline.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Scheduler.Task task = armed.remove(connection);
        if (task != null) {
            task.cancel();
        }
    }

    private void expire(Connection connection) {
        if (armed.remove(connection) != null) {
            LOG.debug(
                    "event=handshake.timeout remote={} deadline_ms={}",
                    connection.getEndPoint().getRemoteSocketAddress(),
                    deadline.toMillis());
            connection.getEndPoint().close();
        }
    }

    /** How many connections are still before their upgrade: for tests. */
    int pending() {
        return armed.size();
    }
}
