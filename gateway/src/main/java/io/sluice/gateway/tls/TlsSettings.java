package io.sluice.gateway.tls;

import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * TLS for the client port ({@code wss://}): a PEM certificate chain with its PKCS#8 private key, or a PKCS#12
 * keystore. Off when neither is given. Only TLS 1.2 and 1.3 are allowed.
 *
 * @param certificate      sluice.tls.certificate: PEM file, the server certificate first, then its chain
 * @param privateKey       sluice.tls.private-key: PEM file, {@code BEGIN PRIVATE KEY} (PKCS#8, unencrypted)
 * @param keystore         sluice.tls.keystore: PKCS#12 file with one key entry
 * @param keystorePassword sluice.tls.keystore-password: its password (also the key's); never logged
 * @param protocols        sluice.tls.protocols: default {@code TLSv1.3,TLSv1.2}
 */
public record TlsSettings(
        Path certificate, Path privateKey, Path keystore, String keystorePassword, List<String> protocols) {

    /** No TLS: {@code ws://}. */
    public static final TlsSettings OFF = new TlsSettings(null, null, null, null, List.of());

    private static final Set<String> MODERN = Set.of("TLSv1.3", "TLSv1.2");

    /**
     * Reads and checks the TLS settings.
     *
     * @throws SettingException when they are incomplete or contradict each other
     */
    public static TlsSettings from(Settings settings) {
        Path certificate = settings.path("sluice.tls.certificate", null);
        Path privateKey = settings.path("sluice.tls.private-key", null);
        Path keystore = settings.path("sluice.tls.keystore", null);
        String password = settings.get("sluice.tls.keystore-password").orElse(null);
        List<String> protocols = settings.list("sluice.tls.protocols", List.of("TLSv1.3", "TLSv1.2"));
        for (String protocol : protocols) {
            if (!MODERN.contains(protocol)) {
                throw new SettingException(
                        "sluice.tls.protocols", String.join(",", protocols), "TLSv1.3, TLSv1.2 or both");
            }
        }
        if (protocols.isEmpty()) {
            throw new SettingException("sluice.tls.protocols", "", "TLSv1.3, TLSv1.2 or both");
        }
        if (certificate != null && keystore != null) {
            throw new SettingException(
                    "sluice.tls.keystore",
                    keystore.toString(),
                    "unset when sluice.tls.certificate is set: one or the other");
        }
        if (certificate != null && privateKey == null) {
            throw new SettingException("sluice.tls.private-key", "", "the PEM private key of sluice.tls.certificate");
        }
        if (privateKey != null && certificate == null) {
            throw new SettingException("sluice.tls.certificate", "", "the PEM certificate of sluice.tls.private-key");
        }
        if (keystore != null && password == null) {
            throw new SettingException("sluice.tls.keystore-password", "", "the password of sluice.tls.keystore");
        }
        return new TlsSettings(certificate, privateKey, keystore, password, List.copyOf(protocols));
    }

    /** Whether TLS is on. */
    public boolean enabled() {
        return certificate != null || keystore != null;
    }

    /** The password stays out of logs and exceptions. */
    @Override
    public String toString() {
        return "TlsSettings[certificate=" + certificate + ", privateKey=" + privateKey + ", keystore=" + keystore
                + ", protocols=" + protocols + "]";
    }
}
