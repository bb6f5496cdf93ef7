package io.sluice.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sluice.client.ClientOptions;
import io.sluice.client.SluiceClient;
import io.sluice.proto.Messages;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The echo baseline: each message is the very frame a Sluice sender would send (a {@code signal.Message} with
 * an {@code outboundMessage} of the same sealed body), sent to {@link EchoServer} and parsed the same way when
 * it comes back. One frame each way, where Sluice carries four (send, ack, inbound, ack).
 */
final class EchoPath implements MessagePath {
    private final WebSocketClient webSockets;
    private final List<Session> sessions;
    private final Messages.Address to;

    private EchoPath(WebSocketClient webSockets, List<Session> sessions) {
        this.webSockets = webSockets;
        this.sessions = sessions;
        byte[] userId = new byte[33];
        userId[0] = 0x05;
        this.to = Messages.Address.newBuilder()
                .setUserID(ByteString.copyFrom(userId))
                .setDeviceID(1)
                .build();
    }

    static EchoPath open(URI uri, int connections, Deliveries sink) throws Exception {
        WebSocketClient webSockets = SluiceClient.newWebSocketClient(ClientOptions.defaults());
        List<Session> sessions = new ArrayList<>();
        EchoPath path = new EchoPath(webSockets, sessions);
        try {
            for (int i = 0; i < connections; i++) {
                sessions.add(webSockets.connect(new Receiver(sink), uri).get(30, TimeUnit.SECONDS));
            }
            return path;
        } catch (Exception e) {
            path.close();
            throw e;
        }
    }

    @Override
    public void send(long index, long intendedNanos, byte[] body) {
        byte[] frame = Messages.Message.newBuilder()
                .setSequence((int) index)
                .setOutboundMessage(Messages.OutboundMessage.newBuilder()
                        .setTo(to)
                        .setUnidentifiedSenderMessage(ByteString.copyFrom(body)))
                .build()
                .toByteArray();
        sessions.get((int) (index % sessions.size())).sendBinary(ByteBuffer.wrap(frame), Callback.NOOP);
    }

    @Override
    public int connections() {
        return sessions.size();
    }

    @Override
    public void close() {
        sessions.forEach(s -> s.close(1000, "bye", Callback.NOOP));
        try {
            webSockets.stop();
        } catch (Exception ignored) {
            // closing after a run
        }
    }

    /** Parses each echoed frame as the client parses an inbound message. */
    public static final class Receiver implements Session.Listener.AutoDemanding {
        private final Deliveries sink;

        Receiver(Deliveries sink) {
            this.sink = sink;
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            try {
                Messages.Message message = Messages.Message.parseFrom(payload);
                sink.delivered(message.getOutboundMessage()
                        .getUnidentifiedSenderMessage()
                        .toByteArray());
                callback.succeed();
            } catch (InvalidProtocolBufferException e) {
                callback.fail(e);
            }
        }
    }
}
