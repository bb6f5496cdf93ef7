package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.oneTime;
import static io.sluice.gateway.testing.Keys.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.client.ClientOptions;
import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.testing.TestCertificates;
import io.sluice.proto.Messages;
import io.sluice.spi.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wss://} with a keytool-made certificate, from a PKCS#12 keystore and from PEM files. */
class TlsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    static TestCertificates certificates;
    static WebSocketClient trusting;
    static ClientOptions trustingOptions;

    @BeforeAll
    static void certificates() throws Exception {
        certificates = TestCertificates.create(dir);
        trustingOptions = ClientOptions.defaults().withTrustStore(certificates.trustStore());
        trusting = SluiceClient.newWebSocketClient(trustingOptions);
    }

    @AfterAll
    static void stopClient() throws Exception {
        trusting.stop();
    }

    private static Gateway start(Map<String, String> tls) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "sluice.host",
                "127.0.0.1",
                "sluice.port",
                "0",
                "sluice.admin.port",
                "0",
                "sluice.data-dir",
                dir.resolve("data-" + System.nanoTime()).toString(),
                "sluice.prekeys.check-interval",
                "1h"));
        settings.putAll(tls);
        return Gateway.start(Settings.of(settings));
    }

    private static SluiceClient connect(URI uri) throws Exception {
        return SluiceClient.connect(trusting, uri, trustingOptions).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Every kind of request, over wss. */
    private static void completeTheProtocol(URI uri) throws Exception {
        Identity bob = Identity.generate();
        SluiceClient bobsPhone = connect(uri);
        bobsPhone.login(bob, 1).get();
        bobsPhone.register(3, bytes("signed"), oneTime("k", 2)).get();
        SluiceClient alice = connect(uri);
        List<Messages.PreKey> keys =
                alice.requestPreKeys(bob.userId(), Set.of()).get();
        assertThat(keys)
                .singleElement()
                .satisfies(k -> assertThat(k.getOneTimePreKey().toStringUtf8()).isEqualTo("k-0"));
        alice.send(bob.userId(), 1, bytes("over tls")).get();
        Inbound message = bobsPhone.nextInbound(WAIT);
        assertThat(text(message.body())).isEqualTo("over tls");
        message.ack();
        bobsPhone.close();
        alice.close();
    }

    @Test
    void clientTrustingTheTestCertificateCompletesTheProtocolOverAPkcs12Keystore() throws Exception {
        try (Gateway gateway = start(Map.of(
                "sluice.tls.keystore",
                certificates.keystore().toString(),
                "sluice.tls.keystore-password",
                TestCertificates.PASSWORD))) {
            assertThat(gateway.uri().getScheme()).isEqualTo("wss");
            completeTheProtocol(gateway.uri());
        }
    }

    @Test
    void clientTrustingTheTestCertificateCompletesTheProtocolOverPemFiles() throws Exception {
        try (Gateway gateway = start(Map.of(
                "sluice.tls.certificate",
                certificates.certificatePem().toString(),
                "sluice.tls.private-key",
                certificates.privateKeyPem().toString()))) {
            completeTheProtocol(gateway.uri());
        }
    }

    @Test
    void clientThatDoesNotTrustTheCertificateCannotConnect() throws Exception {
        try (Gateway gateway = start(Map.of(
                "sluice.tls.keystore",
                certificates.keystore().toString(),
                "sluice.tls.keystore-password",
                TestCertificates.PASSWORD))) {
            assertThatThrownBy(() -> SluiceClient.connect(gateway.uri()).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void negotiatesTls13AndRefusesTls12WhenOnlyTls13IsAllowed() throws Exception {
        try (Gateway gateway = start(Map.of(
                "sluice.tls.keystore",
                certificates.keystore().toString(),
                "sluice.tls.keystore-password",
                TestCertificates.PASSWORD,
                "sluice.tls.protocols",
                "TLSv1.3"))) {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(certificates.trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
                socket.startHandshake();
                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class);
            }
        }
    }
}
