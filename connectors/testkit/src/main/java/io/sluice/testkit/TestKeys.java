package io.sluice.testkit;

import io.sluice.spi.Address;
import io.sluice.spi.Registration;
import io.sluice.spi.UserId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** Made-up identities and key material for contract tests: each call returns fresh, distinct values. */
public final class TestKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestKeys() {}

    /** A fresh, valid UserID (not backed by a real key pair: stores never verify keys). */
    public static UserId userId() {
        byte[] bytes = new byte[UserId.LENGTH];
        RANDOM.nextBytes(bytes);
        bytes[0] = UserId.TYPE_ED25519;
        return UserId.of(bytes);
    }

    /** Device {@code deviceId} of a fresh user. */
    public static Address address(int deviceId) {
        return new Address(userId(), deviceId);
    }

    /** Readable bytes, handy for asserting which key came back. */
    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A registration with {@code oneTimeKeys} one-time prekeys named {@code <prefix>-0}, {@code <prefix>-1} … */
    public static Registration registration(int registrationId, String signedPreKey, String prefix, int oneTimeKeys) {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < oneTimeKeys; i++) {
            keys.add(bytes(prefix + "-" + i));
        }
        return new Registration(registrationId, bytes(signedPreKey), keys);
    }
}
