package io.sluice.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.gateway.testing.TestCertificates;
import io.sluice.spi.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pair that does not check out is not taken; the running certificate stays until one does. */
class CertificateReloaderTest {
    @TempDir
    Path dir;

    @Test
    void aKeyWithoutItsCertificateIsRejectedAndTheMatchingPairIsTaken() throws Exception {
        TestCertificates first = TestCertificates.create(dir, "first");
        TestCertificates second = TestCertificates.create(dir, "second");
        Path certificate = Files.copy(first.certificatePem(), dir.resolve("tls.crt"));
        Path key = Files.copy(first.privateKeyPem(), dir.resolve("tls.key"));
        TlsSettings config = TlsSettings.from(Settings.of(Map.of(
                "sluice.tls.certificate", certificate.toString(),
                "sluice.tls.private-key", key.toString(),
                "sluice.tls.reload-interval", "1h")));
        SslContextFactory.Server ssl = ServerTls.factory(config);
        ssl.start();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (CertificateReloader reloader = CertificateReloader.start(config, ssl, scheduler, registry)) {
            Object firstCertificate = first.trustStore().getCertificate("sluice");
            assertThat(reloader.certificate()).isEqualTo(firstCertificate);

            Files.copy(second.privateKeyPem(), key, StandardCopyOption.REPLACE_EXISTING);
            reloader.check();
            assertThat(reloader.certificate()).as("a mismatched pair").isEqualTo(firstCertificate);
            assertThat(ssl.getKeyStore().getCertificate("sluice")).isEqualTo(firstCertificate);

            Files.copy(second.certificatePem(), certificate, StandardCopyOption.REPLACE_EXISTING);
            reloader.check();
            Object secondCertificate = second.trustStore().getCertificate("sluice");
            assertThat(reloader.certificate()).isEqualTo(secondCertificate);
            assertThat(ssl.getKeyStore().getCertificate("sluice")).isEqualTo(secondCertificate);
            assertThat(registry.get("sluice.tls.certificate.expiry").gauge().value())
                    .isEqualTo(reloader.certificate().getNotAfter().getTime() / 1000.0);
        } finally {
            scheduler.shutdownNow();
            ssl.stop();
        }
    }
}
