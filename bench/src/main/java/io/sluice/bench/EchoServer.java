package io.sluice.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The ceiling for the front: a bare Jetty WebSocket server, set up as the gateway's (same Jetty, same thread
 * pool size, same frame limits), that sends every binary frame straight back on its connection. No protocol,
 * no routes, no storage. Run in its own process: {@code EchoServer <port>}, then {@code ws://127.0.0.1:<port>/echo}.
 */
public final class EchoServer {
    private EchoServer() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long started = System.nanoTime();
        QueuedThreadPool threads =
                new QueuedThreadPool(Math.max(16, 8 * Runtime.getRuntime().availableProcessors()));
        threads.setName("echo-ws");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxBinaryMessageSize(1024 * 1024);
            container.setMaxFrameSize(1024 * 1024);
            container.setIdleTimeout(Duration.ofMinutes(2));
            container.addMapping("/echo", (request, response, callback) -> new Echo());
        });
        context.setHandler(upgrade);
        server.setHandler(context);
        server.setStopTimeout(0);
        server.start();
        System.out.println("event=started url=ws://127.0.0.1:" + connector.getLocalPort() + "/echo startup_ms="
                + (System.nanoTime() - started) / 1_000_000);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }));
        server.join();
    }

    /** Echoes each binary frame; the frame's buffer is released once the echo is written. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private volatile Session session;

        @Override
        public void onWebSocketOpen(Session opened) {
            session = opened;
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            session.sendBinary(payload, callback);
        }
    }
}
