package io.sluice.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.testing.TestCertificates;
import io.sluice.spi.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading TLS settings and key material: everything wrong is one line naming the setting, never the password. */
class ServerTlsTest {
    @TempDir
    static Path dir;

    static TestCertificates first;
    static TestCertificates second;

    @BeforeAll
    static void certificates() throws Exception {
        first = TestCertificates.create(dir, "first");
        second = TestCertificates.create(dir, "second");
    }

    private static TlsSettings config(Map<String, String> settings) {
        return TlsSettings.from(Settings.of(settings));
    }

    @Test
    void offUnlessACertificateOrKeystoreIsGiven() {
        assertThat(config(Map.of()).enabled()).isFalse();
        assertThat(config(Map.of()).protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @Test
    void onlyModernProtocolsAreAccepted() {
        assertThatThrownBy(() -> config(Map.of("sluice.tls.protocols", "TLSv1.3,TLSv1.1")))
                .hasMessage("sluice.tls.protocols: 'TLSv1.3,TLSv1.1' (expected: TLSv1.3, TLSv1.2 or both)");
    }

    @Test
    void aCertificateNeedsItsKeyAndExcludesAKeystore() {
        assertThatThrownBy(() -> config(Map.of("sluice.tls.certificate", "a.pem")))
                .hasMessageStartingWith("sluice.tls.private-key:");
        assertThatThrownBy(() -> config(Map.of(
                        "sluice.tls.certificate",
                        "a.pem",
                        "sluice.tls.private-key",
                        "k.pem",
                        "sluice.tls.keystore",
                        "s.p12",
                        "sluice.tls.keystore-password",
                        "x")))
                .hasMessageStartingWith("sluice.tls.keystore:");
        assertThatThrownBy(() -> config(Map.of("sluice.tls.keystore", "s.p12")))
                .hasMessageStartingWith("sluice.tls.keystore-password:");
    }

    @Test
    void pemCertificateAndKeyBecomeAKeystore() {
        TlsSettings tls = config(Map.of(
                "sluice.tls.certificate",
                first.certificatePem().toString(),
                "sluice.tls.private-key",
                first.privateKeyPem().toString()));
        assertThat(ServerTls.factory(tls).getKeyStore()).isNotNull();
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateIsRefused() {
        TlsSettings tls = config(Map.of(
                "sluice.tls.certificate",
                first.certificatePem().toString(),
                "sluice.tls.private-key",
                second.privateKeyPem().toString()));
        assertThatThrownBy(() -> ServerTls.factory(tls))
                .hasMessage("sluice.tls.private-key: '" + second.privateKeyPem()
                        + "' (expected: the private key of the first certificate in sluice.tls.certificate)");
    }

    @Test
    void aTraditionalOpensslKeyIsRefusedWithTheCommandThatConvertsIt() throws Exception {
        Path rsa = Files.writeString(
                dir.resolve("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        TlsSettings tls = config(Map.of(
                "sluice.tls.certificate", first.certificatePem().toString(), "sluice.tls.private-key", rsa.toString()));
        assertThatThrownBy(() -> ServerTls.factory(tls)).hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void aWrongKeystorePasswordNamesTheSettingAndNotThePassword() {
        TlsSettings tls = config(Map.of(
                "sluice.tls.keystore",
                first.keystore().toString(),
                "sluice.tls.keystore-password",
                "not-the-password"));
        assertThatThrownBy(() -> ServerTls.factory(tls))
                .hasMessageStartingWith("sluice.tls.keystore: '" + first.keystore() + "'")
                .hasMessageNotContaining("not-the-password");
        assertThat(tls.toString()).doesNotContain("not-the-password");
    }
}
