package io.sluice.spi;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A user's identity: 33 bytes, the type byte {@code 0x05} followed by a 32-byte Ed25519 public key.
 * Its text form, used in headers, record keys and URLs, is unpadded base64url.
 */
public final class UserId {
    /** Length of a UserID in bytes. */
    public static final int LENGTH = 33;
    /** The type byte every UserID starts with. */
    public static final byte TYPE_ED25519 = 0x05;

    private final byte[] bytes;
    private final int hash;
    // Computed on first use: every request that names an Address puts it in headers, logs and keys.
    private String text;

    private UserId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * A UserID from its 33 bytes.
     *
     * @throws SluiceException {@link ErrorName#INVALID_USER_ID} when the bytes are not a UserID
     */
    public static UserId of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH || bytes[0] != TYPE_ED25519) {
            throw new SluiceException(
                    ErrorName.INVALID_USER_ID,
                    "userID: "
                            + (bytes == null
                                    ? "missing"
                                    : bytes.length + " bytes"
                                            + (bytes.length > 0
                                                    ? " starting with 0x"
                                                            + HexFormat.of().toHexDigits(bytes[0])
                                                    : ""))
                            + " (expected: 33 bytes starting with 0x05)");
        }
        return new UserId(bytes.clone());
    }

    /** A UserID from its base64url text form. */
    public static UserId parse(String text) {
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorName.INVALID_USER_ID, "userID: not base64url (expected: 33 bytes)");
        }
        return of(decoded);
    }

    /** A copy of the 33 bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The 32-byte Ed25519 public key inside the UserID. */
    public byte[] publicKey() {
        return Arrays.copyOfRange(bytes, 1, LENGTH);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserId other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The unpadded base64url form. */
    @Override
    public String toString() {
        String known = text;
        if (known == null) {
            known = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            text = known; // a racing thread computes the same string
        }
        return known;
    }
}
