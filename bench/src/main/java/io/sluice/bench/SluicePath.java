package io.sluice.bench;

import io.sluice.client.ClientOptions;
import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Messages through the gateway: anonymous sender connections send sealed messages to recipient devices that
 * are logged in on their own connections and ack every inbound message as it arrives. Message {@code i} goes
 * from sender {@code i mod N} to recipient {@code i mod M}.
 */
final class SluicePath implements MessagePath {
    private static final ClientOptions OPTIONS = ClientOptions.defaults().withRequestTimeout(Duration.ofSeconds(30));

    private final WebSocketClient webSockets;
    private final List<SluiceClient> senders;
    private final List<SluiceClient> recipients;
    private final List<byte[]> recipientIds;
    private final Deliveries sink;

    private SluicePath(
            WebSocketClient webSockets,
            List<SluiceClient> senders,
            List<SluiceClient> recipients,
            List<byte[]> recipientIds,
            Deliveries sink) {
        this.webSockets = webSockets;
        this.senders = senders;
        this.recipients = recipients;
        this.recipientIds = recipientIds;
        this.sink = sink;
    }

    /** Connects the senders, and the recipients logged in as fresh identities, each ready to ack. */
    static SluicePath open(URI uri, int senderCount, int recipientCount, Deliveries sink) throws Exception {
        return open(List.of(uri), senderCount, recipientCount, sink);
    }

    /**
     * As {@link #open(URI, int, int, Deliveries)} across several gateways sharing one queue: sender {@code i} on
     * gateway {@code i mod G}, recipient {@code j} on gateway {@code (j + 1) mod G}, so that with more than one
     * gateway every message (sender {@code i mod N} to recipient {@code i mod M}, N = M) crosses from one
     * gateway to another.
     */
    static SluicePath open(List<URI> gateways, int senderCount, int recipientCount, Deliveries sink) throws Exception {
        int g = gateways.size();
        WebSocketClient webSockets = SluiceClient.newWebSocketClient(OPTIONS);
        List<SluiceClient> recipients = new ArrayList<>();
        List<byte[]> ids = new ArrayList<>();
        List<SluiceClient> senders = new ArrayList<>();
        SluicePath path = new SluicePath(webSockets, senders, recipients, ids, sink);
        try {
            for (int i = 0; i < recipientCount; i++) {
                Identity identity = Identity.generate();
                SluiceClient recipient = SluiceClient.connect(webSockets, gateways.get((i + 1) % g), OPTIONS)
                        .get(30, TimeUnit.SECONDS);
                recipient.login(identity, 1).get(30, TimeUnit.SECONDS);
                recipient.onInbound(message -> {
                    sink.delivered(message.body());
                    message.ack();
                });
                recipients.add(recipient);
                ids.add(identity.userId());
            }
            for (int i = 0; i < senderCount; i++) {
                senders.add(SluiceClient.connect(webSockets, gateways.get(i % g), OPTIONS)
                        .get(30, TimeUnit.SECONDS));
            }
            return path;
        } catch (Exception e) {
            path.close();
            throw e;
        }
    }

    @Override
    public void send(long index, long intendedNanos, byte[] body) {
        SluiceClient sender = senders.get((int) (index % senders.size()));
        CompletableFuture<Void> acked = sender.send(recipientIds.get((int) (index % recipientIds.size())), 1, body);
        acked.whenComplete((ok, failure) -> {
            if (failure == null) {
                sink.accepted(intendedNanos);
            } else {
                sink.failed();
            }
        });
    }

    @Override
    public int connections() {
        return senders.size() + recipients.size();
    }

    @Override
    public void close() {
        senders.forEach(SluiceClient::close);
        recipients.forEach(SluiceClient::close);
        try {
            webSockets.stop();
        } catch (Exception ignored) {
            // closing after a run: nothing left to measure
        }
    }
}
