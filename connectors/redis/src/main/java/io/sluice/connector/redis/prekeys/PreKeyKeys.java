package io.sluice.connector.redis.prekeys;

import io.sluice.spi.Address;
import io.sluice.spi.UserId;
import java.nio.charset.StandardCharsets;

/**
 * The Redis keys of one user's prekeys, all under the hash tag {@code {<userId>}} so that a Redis Cluster keeps them
 * on one shard and a script may touch them together:
 *
 * <ul>
 *   <li>{@code sluice:pk:{<userId>}:reg}: hash, device ID → registration ID (both unsigned decimal); a device is
 *       registered exactly when it has a field here
 *   <li>{@code sluice:pk:{<userId>}:spk}: hash, device ID → signed prekey
 *   <li>{@code sluice:pk:{<userId>}:otk:<deviceId>}: list of the device's one-time prekeys, oldest first
 * </ul>
 *
 * The user ID is its base64url text, which holds no brace.
 */
final class PreKeyKeys {
    private PreKeyKeys() {}

    static String prefix(UserId userId) {
        return "sluice:pk:{" + userId + "}:";
    }

    static byte[] registrations(UserId userId) {
        return bytes(prefix(userId) + "reg");
    }

    static byte[] signedPreKeys(UserId userId) {
        return bytes(prefix(userId) + "spk");
    }

    /** The prefix of the one-time key lists, to which a script appends the device ID. */
    static byte[] oneTimePrefix(UserId userId) {
        return bytes(prefix(userId) + "otk:");
    }

    static byte[] oneTime(Address address) {
        return bytes(prefix(address.userId()) + "otk:" + device(address.deviceId()));
    }

    /** A device ID as the keys and fields spell it: unsigned decimal. */
    static String device(int deviceId) {
        return Integer.toUnsignedString(deviceId);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
