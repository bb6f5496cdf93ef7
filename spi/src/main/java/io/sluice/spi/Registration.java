package io.sluice.spi;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a device registers: the body of a {@code sluice:register} exchange.
 *
 * @param registrationId the device's local registration ID
 * @param signedPreKey   the signed prekey
 * @param oneTimePreKeys zero or more one-time prekeys, each handed out at most once
 */
public record Registration(int registrationId, byte[] signedPreKey, List<byte[]> oneTimePreKeys) {
    public Registration {
        Objects.requireNonNull(signedPreKey, "signedPreKey");
        oneTimePreKeys = List.copyOf(oneTimePreKeys);
    }

    /**
     * Whether a new registration appends its one-time prekeys to this one, as the protocol says: same
     * registration ID and the same signed prekey. Otherwise it replaces this one.
     */
    public boolean isContinuedBy(Registration next) {
        return registrationId == next.registrationId && Arrays.equals(signedPreKey, next.signedPreKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Registration r
                && registrationId == r.registrationId
                && Arrays.equals(signedPreKey, r.signedPreKey)
                && oneTimePreKeys.size() == r.oneTimePreKeys.size()
                && java.util.stream.IntStream.range(0, oneTimePreKeys.size())
                        .allMatch(i -> Arrays.equals(oneTimePreKeys.get(i), r.oneTimePreKeys.get(i)));
    }

    @Override
    public int hashCode() {
        return 31 * registrationId + Arrays.hashCode(signedPreKey);
    }

    /** Key material stays out of logs: only sizes are shown. */
    @Override
    public String toString() {
        return "Registration[registrationId=" + Integer.toUnsignedString(registrationId) + ", oneTimePreKeys="
                + oneTimePreKeys.size() + "]";
    }
}
