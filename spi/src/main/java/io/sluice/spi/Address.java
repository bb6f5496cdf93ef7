package io.sluice.spi;

import java.util.Objects;

/**
 * One device of one user. Its text form is {@code <userID base64url>.<deviceID>}.
 *
 * @param userId   the user
 * @param deviceId the device, unique for the user (an unsigned 32-bit value on the wire)
 */
public record Address(UserId userId, int deviceId) {
    public Address {
        Objects.requireNonNull(userId, "userId");
    }

    /** An Address from its text form, {@code <userID base64url>.<deviceID>}. */
    public static Address parse(String text) {
        int dot = text.lastIndexOf('.');
        if (dot < 0) {
            throw new SluiceException(
                    ErrorName.INVALID_USER_ID, "address: '" + text + "' (expected: <userID base64url>.<deviceID>)");
        }
        return new Address(UserId.parse(text.substring(0, dot)), Integer.parseUnsignedInt(text.substring(dot + 1)));
    }

    @Override
    public String toString() {
        return userId + "." + Integer.toUnsignedString(deviceId);
    }
}
