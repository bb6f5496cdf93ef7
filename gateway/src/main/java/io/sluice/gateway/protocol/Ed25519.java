package io.sluice.gateway.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;

/** Verifies Ed25519 signatures with the JDK's own provider, from a raw 32-byte public key. */
final class Ed25519 {
    /** The DER prefix of an X.509 SubjectPublicKeyInfo for an Ed25519 key; the raw key follows it. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Ed25519() {}

    /** Whether {@code signature} is a valid signature of {@code data} by the holder of {@code rawPublicKey}. */
    static boolean verify(byte[] rawPublicKey, byte[] data, byte[] signature) {
        if (rawPublicKey.length != 32 || signature.length != 64) {
            return false;
        }
        try {
            byte[] encoded = new byte[X509_PREFIX.length + 32];
            System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
            System.arraycopy(rawPublicKey, 0, encoded, X509_PREFIX.length, 32);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Not a point on the curve, or otherwise not a key: the signature cannot be valid.
            return false;
        }
    }
}
