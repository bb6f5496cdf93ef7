package io.sluice.gateway.tls;

import io.sluice.spi.SettingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Builds the WebSocket port's TLS from a {@link TlsSettings}, reading the key material at start-up so that a missing
 * file or a wrong password stops the gateway with one line naming the setting. The JDK does all the cryptography;
 * PEM files are turned into an in-memory keystore, without a third-party library.
 */
public final class ServerTls {
    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");

    private ServerTls() {}

    /** The server-side SSL factory for Jetty's connector; {@code config} must be {@linkplain TlsSettings#enabled on}. */
    public static SslContextFactory.Server factory(TlsSettings config) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        load(config).applyTo(ssl);
        ssl.setIncludeProtocols(config.protocols().toArray(String[]::new));
        // Jetty's defaults already exclude SSL, TLS 1.0/1.1 and the weak cipher suites; renegotiation is only a risk.
        ssl.setRenegotiationAllowed(false);
        ssl.setSniRequired(false);
        return ssl;
    }

    /**
     * Reads and checks the key material the settings name, as at start-up.
     *
     * @throws SettingException naming the setting whose file is missing, unreadable or does not match
     */
    public static KeyMaterial load(TlsSettings config) {
        if (config.keystore() != null) {
            char[] password = config.keystorePassword().toCharArray();
            return new KeyMaterial(loadPkcs12(config.keystore(), password), password);
        }
        // The PEM pair becomes an in-memory keystore under a random password that never leaves this process.
        char[] password = new char[32];
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + random.nextInt(26));
        }
        return new KeyMaterial(fromPem(config.certificate(), config.privateKey(), password), password);
    }

    /** A keystore with the server's key and chain, and the password of both. */
    public record KeyMaterial(KeyStore keyStore, char[] password) {
        /** Sets the keystore on a Jetty SSL factory (before it starts, or inside its {@code reload}). */
        public void applyTo(SslContextFactory ssl) {
            ssl.setKeyStore(keyStore);
            ssl.setKeyStorePassword(new String(password));
            ssl.setKeyManagerPassword(new String(password));
        }

        /** The server certificate: the first certificate of the key entry's chain. */
        public X509Certificate leaf() {
            try {
                for (String alias : Collections.list(keyStore.aliases())) {
                    if (keyStore.isKeyEntry(alias) && keyStore.getCertificate(alias) instanceof X509Certificate c) {
                        return c;
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("no key entry with an X.509 certificate");
        }

        /** The password stays out of logs. */
        @Override
        public String toString() {
            return "KeyMaterial[" + leaf().getSubjectX500Principal() + "]";
        }
    }

    /** Reads a PKCS#12 keystore, checking that it opens with the password and holds a key. */
    static KeyStore loadPkcs12(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password);
            boolean hasKey = false;
            for (String alias : Collections.list(keyStore.aliases())) {
                hasKey |= keyStore.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw new SettingException(
                        TlsSettings.KEYSTORE.key(), file.toString(), "a PKCS#12 file with a private key");
            }
            return keyStore;
        } catch (IOException | GeneralSecurityException e) {
            String why = e.getCause() instanceof java.security.UnrecoverableKeyException
                            || String.valueOf(e.getMessage()).contains("password")
                    ? "a PKCS#12 file that opens with sluice.tls.keystore-password"
                    : "a readable PKCS#12 file (" + e.getClass().getSimpleName() + ")";
            throw (SettingException)
                    new SettingException(TlsSettings.KEYSTORE.key(), file.toString(), why).initCause(e);
        }
    }

    /** A keystore with one entry: the PEM private key and its certificate chain. */
    static KeyStore fromPem(Path certificateFile, Path keyFile, char[] password) {
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(certificateFile)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            chain = certificates.toArray(Certificate[]::new);
        } catch (IOException | GeneralSecurityException e) {
            throw (SettingException) new SettingException(
                            TlsSettings.CERTIFICATE.key(),
                            certificateFile.toString(),
                            "a readable PEM file of X.509 certificates")
                    .initCause(e);
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            throw new SettingException(
                    TlsSettings.CERTIFICATE.key(),
                    certificateFile.toString(),
                    "a PEM file with at least one certificate");
        }
        PrivateKey key = readPrivateKey(keyFile, leaf.getPublicKey().getAlgorithm());
        if (!matches(key, leaf)) {
            throw new SettingException(
                    TlsSettings.PRIVATE_KEY.key(),
                    keyFile.toString(),
                    "the private key of the first certificate in sluice.tls.certificate");
        }
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("sluice", key, password, chain);
            return keyStore;
        } catch (IOException | GeneralSecurityException e) {
            throw (SettingException) new SettingException(
                            TlsSettings.PRIVATE_KEY.key(),
                            keyFile.toString(),
                            "the private key of the certificate in sluice.tls.certificate")
                    .initCause(e);
        }
    }

    /** Whether the key signs what the certificate's public key verifies; true for algorithms not tried here. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true;
        }
        try {
            byte[] probe = "sluice".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signer.sign());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static PrivateKey readPrivateKey(Path keyFile, String algorithm) {
        String text;
        try {
            text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw (SettingException)
                    new SettingException(TlsSettings.PRIVATE_KEY.key(), keyFile.toString(), "a readable PEM file")
                            .initCause(e);
        }
        Matcher block = PEM_BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            if (type.equals("PRIVATE KEY")) {
                try {
                    byte[] der = Base64.getMimeDecoder().decode(block.group(2));
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (IllegalArgumentException | GeneralSecurityException e) {
                    throw (SettingException) new SettingException(
                                    TlsSettings.PRIVATE_KEY.key(),
                                    keyFile.toString(),
                                    "an unencrypted PKCS#8 " + algorithm + " key matching the certificate")
                            .initCause(e);
                }
            }
            if (type.endsWith("PRIVATE KEY")) {
                throw new SettingException(
                        TlsSettings.PRIVATE_KEY.key(),
                        keyFile.toString(),
                        "an unencrypted PKCS#8 key ('BEGIN PRIVATE KEY', not '" + type
                                + "'): convert it with 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.p8.pem'");
            }
        }
        throw new SettingException(
                TlsSettings.PRIVATE_KEY.key(), keyFile.toString(), "a PEM file with a 'BEGIN PRIVATE KEY' block");
    }
}
