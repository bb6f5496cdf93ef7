package io.sluice.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Readable made-up key material for end-to-end tests. */
public final class Keys {
    private Keys() {}

    /** UTF-8 bytes of the text. */
    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The text of UTF-8 bytes. */
    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** {@code count} one-time prekeys named {@code <prefix>-0} … */
    public static List<byte[]> oneTime(String prefix, int count) {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(bytes(prefix + "-" + i));
        }
        return keys;
    }
}
