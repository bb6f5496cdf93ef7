package io.sluice.connector.embedded;

import io.sluice.spi.Address;
import io.sluice.spi.UserId;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Binary keys: a user's 33 bytes, then a big-endian device ID, then a big-endian sequence, so keys sort. */
final class Keys {
    static final int USER = UserId.LENGTH;
    static final int DEVICE = USER + Integer.BYTES;
    static final int ENTRY = DEVICE + Long.BYTES;

    private Keys() {}

    static byte[] user(UserId userId) {
        return userId.toByteArray();
    }

    static byte[] device(Address address) {
        return ByteBuffer.allocate(DEVICE)
                .put(address.userId().toByteArray())
                .putInt(address.deviceId())
                .array();
    }

    static byte[] entry(Address address, long sequence) {
        return ByteBuffer.allocate(ENTRY)
                .put(address.userId().toByteArray())
                .putInt(address.deviceId())
                .putLong(sequence)
                .array();
    }

    /** The first key after every key that starts with {@code prefix}. */
    static byte[] after(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length + 1);
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        end[prefix.length] = (byte) 0xFF;
        return end;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    static int deviceOf(byte[] key) {
        return ByteBuffer.wrap(key, USER, Integer.BYTES).getInt();
    }

    static long sequenceOf(byte[] key) {
        return ByteBuffer.wrap(key, DEVICE, Long.BYTES).getLong();
    }
}
