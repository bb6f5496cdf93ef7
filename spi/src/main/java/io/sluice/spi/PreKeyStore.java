package io.sluice.spi;

import java.util.List;

/**
 * A store of device registrations and one-time prekeys. The embedded connector implements it directly;
 * the gateway also reaches route-backed stores through it. Every implementation passes the test kit's
 * {@code PreKeyStoreContract}.
 *
 * <p>Every method may throw a {@link SluiceException}; {@link ErrorName#UNAVAILABLE} when the backend cannot
 * be reached, in which case nothing was changed.
 */
public interface PreKeyStore {

    /**
     * Stores a device's registration. When the registration on file has the same registration ID and signed
     * prekey, the one-time prekeys are appended to those on file; otherwise the registration is replaced.
     */
    void register(Address address, Registration registration);

    /** Removes the device's registration and its one-time prekeys; a no-op when there is none. */
    void unregister(Address address);

    /**
     * Hands out the key material of every device of the user not in {@code knownDeviceIds}, removing one
     * one-time prekey of each device in the same atomic step, so that no key is ever handed out twice.
     * A device with no one-time prekey left is still returned, without one.
     *
     * @throws SluiceException {@link ErrorName#UNKNOWN_USER} when the user has no registered device at all
     */
    List<PreKeyBundle> claim(PreKeyRequest request);

    /** How many one-time prekeys the device has left; 0 when it is not registered. */
    int count(Address address);
}
