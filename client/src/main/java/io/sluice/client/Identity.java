package io.sluice.client;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;

/**
 * An Ed25519 identity: its UserID is {@code 0x05} followed by the 32-byte public key. Signing uses the JDK's
 * own Ed25519 provider.
 */
public final class Identity {
    private final KeyPair keyPair;
    private final byte[] userId;

    private Identity(KeyPair keyPair) {
        this.keyPair = keyPair;
        byte[] encoded = keyPair.getPublic().getEncoded();
        // X.509 SubjectPublicKeyInfo: a fixed 12-byte header, then the raw 32-byte key.
        this.userId = new byte[33];
        userId[0] = 0x05;
        System.arraycopy(encoded, encoded.length - 32, userId, 1, 32);
    }

    /** A fresh random identity. */
    public static Identity generate() {
        try {
            return new Identity(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /** The 33-byte UserID. */
    public byte[] userId() {
        return userId.clone();
    }

    /** The Ed25519 signature of {@code data}. */
    public byte[] sign(byte[] data) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keyPair.getPrivate());
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    @Override
    public String toString() {
        return "Identity[" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(userId) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Identity other && Arrays.equals(userId, other.userId);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(userId);
    }
}
