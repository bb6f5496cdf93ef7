package io.sluice.client;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sluice.proto.Messages;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A scripted stand-in for the gateway on a real socket, for unit tests that must drop a connection at an exact
 * point: it sends each connection a challenge, records every frame it receives, and answers requests as the test
 * says (by default, an ack for everything).
 */
final class FakeGateway implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Answers one request: the reply, or null for none. */
    interface Script extends BiFunction<Peer, Messages.Message, Messages.Message> {}

    private final List<Peer> peers = new CopyOnWriteArrayList<>();
    private volatile Script script = (peer, request) -> ack(request.getSequence());
    private Server server;
    private int port;

    FakeGateway start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        context.setHandler(WebSocketUpgradeHandler.from(
                server, context, container -> container.addMapping("/api", (rq, rs, cb) -> new Peer())));
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
        return this;
    }

    /** Stops listening and drops every connection without a close frame, as a killed process would. */
    void kill() throws Exception {
        peers.forEach(Peer::drop);
        server.stop();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + port + "/api");
    }

    void script(Script next) {
        this.script = next;
    }

    List<Peer> peers() {
        return peers;
    }

    /** Waits for the {@code n}th connection (1-based). */
    Peer awaitPeer(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> peers.size() >= n);
        return peers.get(n - 1);
    }

    static Messages.Message ack(int sequence) {
        return Messages.Message.newBuilder()
                .setSequence(sequence)
                .setAck(Messages.Ack.getDefaultInstance())
                .build();
    }

    static Messages.Message error(int sequence, String name) {
        return Messages.Message.newBuilder()
                .setSequence(sequence)
                .setError(Messages.Error.newBuilder().setName(name).setDescription("scripted"))
                .build();
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.stop();
            }
        } catch (Exception e) {
            throw new IllegalStateException("the fake gateway did not stop", e);
        }
    }

    /** One client connection. */
    public final class Peer implements Session.Listener.AutoDemanding {
        private final List<Messages.Message> received = new CopyOnWriteArrayList<>();
        private final byte[] nonce = new byte[32];
        private volatile Session session;

        Peer() {
            RANDOM.nextBytes(nonce);
        }

        byte[] nonce() {
            return nonce.clone();
        }

        List<Messages.Message> received() {
            return received;
        }

        List<Messages.Message> received(Messages.Message.PayloadCase type) {
            return received.stream().filter(m -> m.getPayloadCase() == type).toList();
        }

        void send(Messages.Message message) {
            session.sendBinary(ByteBuffer.wrap(message.toByteArray()), Callback.NOOP);
        }

        void deliver(int sequence, byte[] body) {
            send(Messages.Message.newBuilder()
                    .setSequence(sequence)
                    .setInboundMessage(ByteString.copyFrom(body))
                    .build());
        }

        /** Cuts the TCP connection without a close frame. */
        void drop() {
            Session current = session;
            if (current != null) {
                current.disconnect();
            }
        }

        @Override
        public void onWebSocketOpen(Session opened) {
            session = opened;
            peers.add(this);
            send(Messages.Message.newBuilder()
                    .setAuthChallenge(Messages.AuthChallenge.newBuilder().setNonce(ByteString.copyFrom(nonce)))
                    .build());
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            try {
                Messages.Message message = Messages.Message.parseFrom(payload);
                received.add(message);
                if (!message.hasAck()) {
                    Messages.Message reply = script.apply(this, message);
                    if (reply != null) {
                        send(reply);
                    }
                }
                callback.succeed();
            } catch (InvalidProtocolBufferException e) {
                callback.fail(e);
            }
        }
    }
}
