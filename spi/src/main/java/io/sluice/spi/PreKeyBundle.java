package io.sluice.spi;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The key material of one device handed out by a claim; the {@code sluice:requestPreKeys} reply is a list of
 * these.
 *
 * @param deviceId       the device
 * @param registrationId the device's registration ID
 * @param signedPreKey   the device's signed prekey
 * @param oneTimePreKey  one one-time prekey, now removed from the store, or {@code null} when none was left
 */
public record PreKeyBundle(int deviceId, int registrationId, byte[] signedPreKey, byte[] oneTimePreKey) {
    public PreKeyBundle {
        Objects.requireNonNull(signedPreKey, "signedPreKey");
    }

    /** The one-time prekey, when the device still had one. */
    public Optional<byte[]> oneTimePreKeyIfAny() {
        return Optional.ofNullable(oneTimePreKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreKeyBundle b
                && deviceId == b.deviceId
                && registrationId == b.registrationId
                && Arrays.equals(signedPreKey, b.signedPreKey)
                && Arrays.equals(oneTimePreKey, b.oneTimePreKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, registrationId, Arrays.hashCode(signedPreKey), Arrays.hashCode(oneTimePreKey));
    }

    /** Key material stays out of logs. */
    @Override
    public String toString() {
        return "PreKeyBundle[deviceId=" + Integer.toUnsignedString(deviceId) + ", registrationId="
                + Integer.toUnsignedString(registrationId) + ", oneTimePreKey=" + (oneTimePreKey != null) + "]";
    }
}
