package io.sluice.gateway.tls;

import io.sluice.spi.Setting;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * TLS for the client port ({@code wss://}): a PEM certificate chain with its PKCS#8 private key, or a PKCS#12
 * keystore. Off when neither is given. Only TLS 1.2 and 1.3 are allowed. The files are watched: a new certificate
 * is taken without a restart ({@link CertificateReloader}).
 *
 * @param certificate      sluice.tls.certificate: PEM file, the server certificate first, then its chain
 * @param privateKey       sluice.tls.private-key: PEM file, {@code BEGIN PRIVATE KEY} (PKCS#8, unencrypted)
 * @param keystore         sluice.tls.keystore: PKCS#12 file with one key entry
 * @param keystorePassword sluice.tls.keystore-password: its password (also the key's); never logged
 * @param protocols        sluice.tls.protocols: default {@code TLSv1.3,TLSv1.2}
 * @param reloadInterval   sluice.tls.reload-interval: how often the files are checked for a new certificate
 */
public record TlsSettings(
        Path certificate,
        Path privateKey,
        Path keystore,
        String keystorePassword,
        List<String> protocols,
        Duration reloadInterval) {

    /** No TLS: {@code ws://}. */
    public static final TlsSettings OFF = new TlsSettings(null, null, null, null, List.of(), Duration.ofSeconds(30));

    private static final Set<String> MODERN = Set.of("TLSv1.3", "TLSv1.2");

    public static final Setting<Path> CERTIFICATE =
            Setting.path("sluice.tls.certificate", null, "PEM file: the server certificate, then its chain");
    public static final Setting<Path> PRIVATE_KEY =
            Setting.path("sluice.tls.private-key", null, "PEM file: its unencrypted PKCS#8 key (BEGIN PRIVATE KEY)");
    public static final Setting<Path> KEYSTORE =
            Setting.path("sluice.tls.keystore", null, "PKCS#12 file with one key entry (instead of the PEM pair)");
    public static final Setting<String> KEYSTORE_PASSWORD = Setting.string(
                    "sluice.tls.keystore-password", null, "its password (also the key's); never logged")
            .secret();
    public static final Setting<List<String>> PROTOCOLS = Setting.list(
            "sluice.tls.protocols", "TLSv1.3,TLSv1.2", "the TLS versions accepted (nothing older than 1.2)");

    public static final Setting<Duration> RELOAD_INTERVAL = Setting.duration(
            "sluice.tls.reload-interval",
            "30s",
            "how often the certificate files are checked; a new, valid pair is taken without a restart");

    /** The settings of this record. */
    public static final List<Setting<?>> SETTINGS =
            List.of(CERTIFICATE, PRIVATE_KEY, KEYSTORE, KEYSTORE_PASSWORD, PROTOCOLS, RELOAD_INTERVAL);

    /**
     * Reads and checks the TLS settings.
     *
     * @throws SettingException when they are incomplete or contradict each other
     */
    public static TlsSettings from(Settings settings) {
        Path certificate = CERTIFICATE.get(settings);
        Path privateKey = PRIVATE_KEY.get(settings);
        Path keystore = KEYSTORE.get(settings);
        // A password is taken as given: spaces at its ends may be part of it.
        String password = settings.get(KEYSTORE_PASSWORD.key()).orElse(null);
        List<String> protocols = PROTOCOLS.get(settings);
        for (String protocol : protocols) {
            if (!MODERN.contains(protocol)) {
                throw new SettingException(PROTOCOLS.key(), String.join(",", protocols), "TLSv1.3, TLSv1.2 or both");
            }
        }
        if (protocols.isEmpty()) {
            throw new SettingException(PROTOCOLS.key(), "", "TLSv1.3, TLSv1.2 or both");
        }
        if (certificate != null && keystore != null) {
            throw new SettingException(
                    KEYSTORE.key(), keystore.toString(), "unset when sluice.tls.certificate is set: one or the other");
        }
        if (certificate != null && privateKey == null) {
            throw new SettingException(PRIVATE_KEY.key(), "", "the PEM private key of sluice.tls.certificate");
        }
        if (privateKey != null && certificate == null) {
            throw new SettingException(CERTIFICATE.key(), "", "the PEM certificate of sluice.tls.private-key");
        }
        if (keystore != null && password == null) {
            throw new SettingException(KEYSTORE_PASSWORD.key(), "", "the password of sluice.tls.keystore");
        }
        return new TlsSettings(
                certificate, privateKey, keystore, password, List.copyOf(protocols), RELOAD_INTERVAL.get(settings));
    }

    /** Whether TLS is on. */
    public boolean enabled() {
        return certificate != null || keystore != null;
    }

    /** The password stays out of logs and exceptions. */
    @Override
    public String toString() {
        return "TlsSettings[certificate=" + certificate + ", privateKey=" + privateKey + ", keystore=" + keystore
                + ", protocols=" + protocols + ", reloadInterval=" + reloadInterval + "]";
    }
}
