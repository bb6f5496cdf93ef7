package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.Keys.bytes;
import static io.sluice.gateway.testing.Keys.oneTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.client.ClientOptions;
import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.testing.Scrape;
import io.sluice.gateway.testing.TestCertificates;
import io.sluice.spi.Settings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A renewed certificate is taken without a restart: new connections get it, open ones go on with theirs. */
class TlsRotationIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static KeyStore trusting(TestCertificates... certificates) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (TestCertificates c : certificates) {
            trust.setCertificateEntry("ca-" + i++, c.trustStore().getCertificate("sluice"));
        }
        return trust;
    }

    /** The certificate a fresh TLS connection to the port is shown. */
    private static Certificate presented(int port, KeyStore trust) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0];
        }
    }

    private static void replace(Path target, Path source) throws Exception {
        // As a secret mount or a renewal tool does it: the new file appears whole, never half-written.
        Path staged = Files.copy(source, target.resolveSibling(target.getFileName() + ".new"));
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void newConnectionsGetTheRotatedCertificateWhileOpenOnesKeepWorking() throws Exception {
        TestCertificates first = TestCertificates.create(dir, "first");
        TestCertificates second = TestCertificates.create(dir, "second");
        Path certificate = Files.copy(first.certificatePem(), dir.resolve("tls.crt"));
        Path key = Files.copy(first.privateKeyPem(), dir.resolve("tls.key"));
        KeyStore trust = trusting(first, second);
        ClientOptions options = ClientOptions.defaults().withTrustStore(trust);
        WebSocketClient client = SluiceClient.newWebSocketClient(options);
        try (Gateway gateway = Gateway.start(Settings.of(Map.of(
                "sluice.host", "127.0.0.1",
                "sluice.port", "0",
                "sluice.admin.port", "0",
                "sluice.data-dir", dir.resolve("data").toString(),
                "sluice.prekeys.check-interval", "1h",
                "sluice.tls.certificate", certificate.toString(),
                "sluice.tls.private-key", key.toString(),
                "sluice.tls.reload-interval", "100ms")))) {
            URI uri = gateway.uri();
            assertThat(presented(gateway.port(), trust))
                    .isEqualTo(first.trustStore().getCertificate("sluice"));
            Identity bob = Identity.generate();
            SluiceClient before = SluiceClient.connect(client, uri, options).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            before.login(bob, 1).get();
            URI admin = URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics");
            double firstExpiry = Scrape.of(admin).value("sluice_tls_certificate_expiry_seconds", Map.of());
            assertThat(firstExpiry)
                    .isEqualTo(((X509Certificate) first.trustStore().getCertificate("sluice"))
                                    .getNotAfter()
                                    .getTime()
                            / 1000);

            // The key first, then the certificate: in between the pair does not match and is not taken.
            replace(key, second.privateKeyPem());
            replace(certificate, second.certificatePem());

            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(presented(gateway.port(), trust))
                            .isEqualTo(second.trustStore().getCertificate("sluice")));
            SluiceClient after = SluiceClient.connect(client, uri, options).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            // The connection opened before the rotation goes on over its first handshake.
            before.register(7, bytes("signed"), oneTime("k", 1)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(after.requestPreKeys(bob.userId(), Set.of()).get()).hasSize(1);
            assertThat(Scrape.of(admin).value("sluice_tls_certificate_expiry_seconds", Map.of()))
                    .isEqualTo(((X509Certificate) second.trustStore().getCertificate("sluice"))
                                    .getNotAfter()
                                    .getTime()
                            / 1000);
            before.close();
            after.close();
        } finally {
            client.stop();
        }
    }
}
