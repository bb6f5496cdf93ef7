package io.sluice.gateway.tls;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.metrics.Meters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a renewed certificate without a restart: every {@code sluice.tls.reload-interval} it reads the files the
 * TLS settings name (PEM pair or PKCS#12), and when their content changed it checks them as start-up does and
 * reloads Jetty's {@link SslContextFactory}. New connections get the new certificate; connections already open keep
 * theirs. Files that do not check out (a key written before its certificate, a wrong password) are reported once and
 * the running certificate stays. The content is compared, not the modification time, so that a Kubernetes secret
 * (a symlink swapped to a new directory) and a copy over the old file are both seen.
 *
 * <p>It also publishes when the running certificate expires ({@link Meters#TLS_CERTIFICATE_EXPIRY}), for alerts.
 */
public final class CertificateReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

    private final TlsSettings config;
    private final SslContextFactory.Server ssl;
    private final ScheduledFuture<?> task;
    private volatile byte[] loaded;
    private byte[] rejected;
    private volatile X509Certificate current;

    private CertificateReloader(
            TlsSettings config,
            SslContextFactory.Server ssl,
            ScheduledExecutorService scheduler,
            MeterRegistry registry) {
        this.config = config;
        this.ssl = ssl;
        this.loaded = fingerprint();
        this.current = ServerTls.load(config).leaf();
        Gauge.builder(
                        Meters.TLS_CERTIFICATE_EXPIRY,
                        this,
                        r -> r.current.getNotAfter().getTime() / 1000.0)
                .baseUnit("seconds")
                .description("When the client port's certificate expires, in seconds since the epoch")
                .register(registry);
        long interval = config.reloadInterval().toMillis();
        this.task = scheduler.scheduleWithFixedDelay(this::check, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Watches the files of {@code config}, whose key material {@code ssl} runs with. */
    public static CertificateReloader start(
            TlsSettings config,
            SslContextFactory.Server ssl,
            ScheduledExecutorService scheduler,
            MeterRegistry registry) {
        return new CertificateReloader(config, ssl, scheduler, registry);
    }

    /** The certificate new connections get. */
    public X509Certificate certificate() {
        return current;
    }

    /** Reloads now if the files changed; the scheduler calls this. */
    void check() {
        byte[] now = fingerprint();
        if (now == null || Arrays.equals(now, loaded) || Arrays.equals(now, rejected)) {
            return;
        }
        ServerTls.KeyMaterial material;
        try {
            material = ServerTls.load(config);
        } catch (RuntimeException e) {
            rejected = now;
            LOG.atWarn()
                    .addKeyValue("event", "tls.reload.rejected")
                    .addKeyValue("problem", e.getMessage())
                    .addKeyValue("action", "keeping_running_certificate")
                    .log();
            return;
        }
        try {
            ssl.reload(factory -> material.applyTo(factory));
        } catch (Exception e) {
            rejected = now;
            LOG.atError()
                    .addKeyValue("event", "tls.reload.failed")
                    .addKeyValue("action", "keeping_running_certificate")
                    .setCause(e)
                    .log();
            return;
        }
        loaded = now;
        rejected = null;
        current = material.leaf();
        LOG.atInfo()
                .addKeyValue("event", "tls.reloaded")
                .addKeyValue("subject", current.getSubjectX500Principal().getName())
                .addKeyValue("not_after", current.getNotAfter().toInstant().toString())
                .log();
    }

    /** A digest of the files' content, or null while one cannot be read (it is being replaced). */
    private byte[] fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : Stream.of(config.certificate(), config.privateKey(), config.keystore())
                    .filter(Objects::nonNull)
                    .toList()) {
                digest.update(Files.readAllBytes(file));
                digest.update((byte) 0);
            }
            return digest.digest();
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
