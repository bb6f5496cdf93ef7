package io.sluice.client;

import static io.sluice.proto.Messages.Message.PayloadCase.ACK;
import static io.sluice.proto.Messages.Message.PayloadCase.AUTHRESPONSE;
import static io.sluice.proto.Messages.Message.PayloadCase.OUTBOUNDMESSAGE;
import static io.sluice.proto.Messages.Message.PayloadCase.REGISTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.proto.Messages;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reconnecting against a scripted gateway that drops connections at exact points. */
class SluiceClientReconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Backoff FAST = Backoff.of(Duration.ofMillis(10), Duration.ofMillis(100));

    private final FakeGateway gateway = new FakeGateway();
    private final List<SluiceClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        gateway.start();
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(SluiceClient::close);
        gateway.close();
    }

    private SluiceClient reconnecting(URI... endpoints) throws Exception {
        return reconnecting(ClientOptions.builder().endpoints(endpoints).reconnect(FAST));
    }

    private SluiceClient reconnecting(ClientOptions.Builder options) throws Exception {
        SluiceClient client = SluiceClient.connect(options.build()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        clients.add(client);
        return client;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void skipsAnEndpointThatIsDownAndConnectsToTheNext() throws Exception {
        URI down = URI.create("ws://127.0.0.1:" + freePort() + "/api");

        SluiceClient client = reconnecting(down, gateway.uri());

        assertThat(client.endpoint()).isEqualTo(gateway.uri());
        assertThat(client.state()).isEqualTo(ConnectionState.OPEN);
    }

    @Test
    void failsToConnectWithTheLastFailureWhenNoEndpointAnswersWithinTheTimeout() throws Exception {
        URI down = URI.create("ws://127.0.0.1:" + freePort() + "/api");
        ClientOptions options = ClientOptions.builder()
                .endpoints(down)
                .reconnect(FAST)
                .requestTimeout(Duration.ofMillis(500))
                .build();

        assertThatThrownBy(() -> SluiceClient.connect(options).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .hasCauseInstanceOf(java.net.ConnectException.class)
                .hasMessageContaining("no connection to [" + down + "] within 500 ms (last failure: ");
    }

    @Test
    void logsInAgainOnTheNextConnectionSignedOverItsNonceBeforeAnyOtherRequest() throws Exception {
        Identity alice = Identity.generate();
        SluiceClient client = reconnecting(gateway.uri());
        client.login(alice, 3).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        gateway.awaitPeer(1).drop();
        FakeGateway.Peer second = gateway.awaitPeer(2);
        client.register(1, bytes("signed"), List.of()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        List<Messages.Message> frames = second.received();
        assertThat(frames).extracting(Messages.Message::getPayloadCase).containsExactly(AUTHRESPONSE, REGISTER);
        Messages.AuthResponse response = frames.get(0).getAuthResponse();
        Messages.Login login = Messages.Login.parseFrom(response.getLogin());
        assertThat(login.getNonce().toByteArray()).isEqualTo(second.nonce());
        assertThat(login.getAddress().getDeviceID()).isEqualTo(3);
        assertThat(login.getAddress().getUserID().toByteArray()).isEqualTo(alice.userId());
        assertThat(verifies(
                        alice.userId(),
                        response.getLogin().toByteArray(),
                        response.getSignature().toByteArray()))
                .isTrue();
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.OPEN);
    }

    @Test
    void anInboundMessageOfALostConnectionIsNotAckedOnTheNextOneButItsRedeliveryIsAckedOnce() throws Exception {
        SluiceClient client = reconnecting(gateway.uri());
        client.login(Identity.generate(), 1).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        FakeGateway.Peer first = gateway.awaitPeer(1);
        first.deliver(7, bytes("hello"));
        Inbound stale = client.nextInbound(WAIT);
        assertThat(stale.sequence()).isEqualTo(7);

        first.drop();
        FakeGateway.Peer second = gateway.awaitPeer(2);
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.OPEN);
        assertThat(stale.ack()).as("the connection that delivered it is gone").isFalse();
        second.deliver(2, bytes("hello"));
        Inbound again = client.nextInbound(WAIT);
        assertThat(again.body()).isEqualTo(bytes("hello"));
        assertThat(again.ack()).isTrue();
        assertThat(again.ack()).as("acking twice").isTrue();

        await().atMost(WAIT).until(() -> !second.received(ACK).isEmpty());
        // A later request proves every earlier frame of this connection arrived.
        client.register(1, bytes("signed"), List.of()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(second.received(ACK))
                .extracting(Messages.Message::getSequence)
                .containsExactly(2);
        assertThat(first.received(ACK)).isEmpty();
    }

    @Test
    void messagesOfALostConnectionNotYetTakenAreDroppedSinceTheyComeAgain() throws Exception {
        SluiceClient client = reconnecting(gateway.uri());
        FakeGateway.Peer first = gateway.awaitPeer(1);
        first.deliver(1, bytes("one"));
        first.deliver(2, bytes("two"));
        // Answered after both deliveries on the same socket: once it completes, both are in the client's queue.
        client.unregister().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        first.drop();
        gateway.awaitPeer(2).deliver(1, bytes("one"));

        Inbound next = client.nextInbound(WAIT);
        assertThat(next.body()).isEqualTo(bytes("one"));
        assertThat(next.ack()).isTrue();
        assertThat(client.nextInbound(Duration.ofMillis(200))).isNull();
    }

    @Test
    void aSendInFlightWhenItsConnectionIsLostIsSentAgainOnTheNextOne() throws Exception {
        SluiceClient client = reconnecting(gateway.uri());
        FakeGateway.Peer first = gateway.awaitPeer(1);
        gateway.script((peer, request) -> peer == first ? null : FakeGateway.ack(request.getSequence()));

        CompletableFuture<Void> sent = client.send(Identity.generate().userId(), 1, bytes("sealed"));
        await().atMost(WAIT).until(() -> !first.received(OUTBOUNDMESSAGE).isEmpty());
        first.drop();

        sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        FakeGateway.Peer second = gateway.awaitPeer(2);
        assertThat(second.received(OUTBOUNDMESSAGE))
                .singleElement()
                .extracting(m ->
                        m.getOutboundMessage().getUnidentifiedSenderMessage().toStringUtf8())
                .isEqualTo("sealed");
    }

    @Test
    void aRegisterInFlightWhenItsConnectionIsLostFailsWithConnectionLostAndIsNotSentAgain() throws Exception {
        SluiceClient client = reconnecting(gateway.uri());
        FakeGateway.Peer first = gateway.awaitPeer(1);
        gateway.script((peer, request) -> peer == first ? null : FakeGateway.ack(request.getSequence()));

        CompletableFuture<Void> registered = client.register(1, bytes("signed"), List.of(bytes("k1")));
        await().atMost(WAIT).until(() -> !first.received(REGISTER).isEmpty());
        first.drop();

        assertThatThrownBy(() -> registered.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(ConnectionLostException.class)
                .hasMessageStartingWith("connection lost before register was answered (it may have been processed)");
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.OPEN);
        client.unregister().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(gateway.awaitPeer(2).received(REGISTER)).isEmpty();
    }

    @Test
    void requestsMadeWhileTheGatewayIsDownAreSentOnceItIsBack() throws Exception {
        SluiceClient client = reconnecting(gateway.uri());
        gateway.kill();
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.RECONNECTING);

        CompletableFuture<Void> sent = client.send(Identity.generate().userId(), 1, bytes("while down"));
        Thread.sleep(200); // the gateway stays down across several reconnect attempts
        assertThat(sent).isNotDone();
        gateway.start();

        sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(client.state()).isEqualTo(ConnectionState.OPEN);
    }

    @Test
    void anUnavailableAnswerIsRetriedAfterABackoffWaitAndSucceeds() throws Exception {
        SluiceClient client = reconnecting(gateway.uri());
        java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();
        gateway.script((peer, request) -> answers.getAndIncrement() < 2
                ? FakeGateway.error(request.getSequence(), SluiceError.UNAVAILABLE)
                : FakeGateway.ack(request.getSequence()));

        client.send(Identity.generate().userId(), 1, bytes("sealed")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(gateway.awaitPeer(1).received(OUTBOUNDMESSAGE)).hasSize(3);
    }

    @Test
    void anUnavailableAnswerPastTheDeadlineFailsWithTheRetryableError() throws Exception {
        SluiceClient client = reconnecting(ClientOptions.builder()
                .endpoints(gateway.uri())
                .reconnect(FAST)
                .requestTimeout(Duration.ofMillis(300)));
        gateway.script((peer, request) -> FakeGateway.error(request.getSequence(), SluiceError.UNAVAILABLE));

        assertThatThrownBy(() -> client.send(Identity.generate().userId(), 1, bytes("sealed"))
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(SluiceError.class, e -> {
                    assertThat(e.name()).isEqualTo("unavailable");
                    assertThat(e.retryable()).isTrue();
                });
    }

    @Test
    void otherErrorsFailAtOnce() throws Exception {
        SluiceClient client = reconnecting(gateway.uri());
        gateway.script((peer, request) -> FakeGateway.error(request.getSequence(), SluiceError.UNKNOWN_USER));

        assertThatThrownBy(() -> client.requestPreKeys(Identity.generate().userId(), Set.of())
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        SluiceError.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessage("unknown_user: scripted");
        assertThat(gateway.awaitPeer(1).received()).hasSize(1);
    }

    @Test
    void aRequestWithoutAnswerTimesOutNamingItsType() throws Exception {
        SluiceClient client = reconnecting(ClientOptions.builder()
                .endpoints(gateway.uri())
                .reconnect(FAST)
                .requestTimeout(Duration.ofMillis(300)));
        gateway.script((peer, request) -> null);

        assertThatThrownBy(() -> client.unregister().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(TimeoutException.class)
                .hasMessage("no answer to unregister within 300 ms");
    }

    @Test
    void closingFailsWaitingRequestsAndStopsReconnecting() throws Exception {
        SluiceClient client = reconnecting(gateway.uri());
        gateway.kill();
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.RECONNECTING);
        CompletableFuture<Void> sent = client.send(Identity.generate().userId(), 1, bytes("never"));

        client.close();

        assertThatThrownBy(() -> sent.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(ConnectionLostException.class)
                .hasMessage("the client is closed");
        assertThat(client.closed()).succeedsWithin(WAIT);
        gateway.start();
        Thread.sleep(300); // several backoff ceilings: a reconnect would have happened by now
        assertThat(gateway.peers()).hasSize(1);
        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    }

    @Test
    void withoutReconnectALostConnectionFailsItsRequestsAndCompletesClosed() throws Exception {
        SluiceClient client = SluiceClient.connect(gateway.uri()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        clients.add(client);
        gateway.script((peer, request) -> null);
        CompletableFuture<Void> sent = client.send(Identity.generate().userId(), 1, bytes("sealed"));
        FakeGateway.Peer only = gateway.awaitPeer(1);
        await().atMost(WAIT).until(() -> !only.received(OUTBOUNDMESSAGE).isEmpty());

        only.drop();

        assertThatThrownBy(() -> sent.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(ConnectionLostException.class)
                .hasMessageStartingWith("connection lost before outboundMessage was answered");
        assertThat(client.closed()).succeedsWithin(WAIT);
        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        assertThatThrownBy(() -> client.send(new byte[33], 1, bytes("after")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the connection is closed");
    }

    @Test
    void stateChangesAreReportedInOrder() throws Exception {
        SluiceClient client = reconnecting(gateway.uri());
        List<ConnectionState> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        client.onStateChange(seen::add);

        gateway.awaitPeer(1).drop();
        gateway.awaitPeer(2);
        await().atMost(WAIT).until(() -> seen.size() >= 2);
        client.close();

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(seen)
                        .containsExactly(ConnectionState.RECONNECTING, ConnectionState.OPEN, ConnectionState.CLOSED));
    }

    private static boolean verifies(byte[] userId, byte[] data, byte[] signature) throws Exception {
        byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] encoded = Arrays.copyOf(spki, spki.length + 32);
        System.arraycopy(userId, 1, encoded, spki.length, 32);
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(data);
        return verifier.verify(signature);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
