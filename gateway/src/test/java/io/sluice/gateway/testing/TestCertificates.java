package io.sluice.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the JDK's keytool: as a PKCS#12 keystore, as
 * PEM files, and as a trust store for clients.
 *
 * <pre>{@code
 * TestCertificates tls = TestCertificates.create(tempDir);
 * Map.of("sluice.tls.keystore", tls.keystore().toString(), "sluice.tls.keystore-password", TestCertificates.PASSWORD)
 * }</pre>
 */
public record TestCertificates(Path keystore, Path certificatePem, Path privateKeyPem, KeyStore trustStore) {
    /** The keystore's password. */
    public static final String PASSWORD = "test-only-password";

    /** Generates a fresh EC P-256 certificate in {@code dir}. */
    public static TestCertificates create(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        return create(dir, "server");
    }

    /** Generates a fresh EC P-256 certificate in {@code dir}, its files named after {@code name}. */
    public static TestCertificates create(Path dir, String name)
            throws IOException, InterruptedException, GeneralSecurityException {
        Path keystore = dir.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        "sluice",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-sigalg",
                        "SHA256withECDSA",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        Certificate certificate = store.getCertificate("sluice");
        Key key = store.getKey("sluice", PASSWORD.toCharArray());
        Path certificatePem =
                Files.writeString(dir.resolve(name + ".crt.pem"), pem("CERTIFICATE", certificate.getEncoded()));
        Path privateKeyPem = Files.writeString(dir.resolve(name + ".key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("sluice", certificate);
        return new TestCertificates(keystore, certificatePem, privateKeyPem, trust);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
