package io.sluice.connector.redis.prekeys;

import io.lettuce.core.ScriptOutputType;
import io.sluice.connector.redis.RedisConnection;
import io.sluice.connector.redis.RedisSettings;
import io.sluice.spi.Address;
import io.sluice.spi.PreKeyBundle;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.PreKeyStore;
import io.sluice.spi.Registration;
import io.sluice.spi.SluiceException;
import io.sluice.spi.UserId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link PreKeyStore} in Redis, standalone or a Redis Cluster, shared by every gateway that connects to it.
 *
 * <pre>{@code
 * try (RedisPreKeyStore store = RedisPreKeyStore.open(RedisSettings.from(settings))) {
 *     store.register(address, registration);
 * }
 * }</pre>
 *
 * <p>Every operation that reads and writes is one Lua script, which Redis runs atomically: a register decides
 * between append and replace and writes in the same step; a claim pops one one-time prekey of each device and reads
 * its signed prekey and registration ID in the same step. So no key is handed out twice, whatever the number of
 * gateways. A user's keys share a hash tag ({@link PreKeyKeys}), so on a cluster they live on one shard and each
 * script stays on it.
 *
 * <p>Semantics are those of the embedded store: one-time prekeys are handed out oldest first; a registration with
 * the same registration ID and signed prekey appends its one-time prekeys, any other replaces the device's
 * registration and drops its remaining keys; a claim of a user without any device fails {@code unknown_user}.
 *
 * <p>Outages: any failure to reach Redis answers {@link SluiceException} {@code unavailable}; the connection rejects
 * commands while it is disconnected, so that answer is prompt, and it reconnects by itself.
 */
public final class RedisPreKeyStore implements PreKeyStore, AutoCloseable {
    /** How long one call may wait for Redis, beyond the connection's own command timeout. */
    static final Duration TIMEOUT = Duration.ofSeconds(6);

    private static final LuaScript REGISTER = new LuaScript("""
            local device = ARGV[1]
            local same = redis.call('HGET', KEYS[1], device) == ARGV[2]
                and redis.call('HGET', KEYS[2], device) == ARGV[3]
            if not same then
              redis.call('DEL', KEYS[3])
              redis.call('HSET', KEYS[1], device, ARGV[2])
              redis.call('HSET', KEYS[2], device, ARGV[3])
            end
            local i = 4
            while i <= #ARGV do
              local last = math.min(i + 999, #ARGV)
              redis.call('RPUSH', KEYS[3], unpack(ARGV, i, last))
              i = last + 1
            end
            return redis.call('LLEN', KEYS[3])
            """, ScriptOutputType.INTEGER);

    private static final LuaScript UNREGISTER = new LuaScript("""
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('HDEL', KEYS[2], ARGV[1])
            return redis.call('DEL', KEYS[3])
            """, ScriptOutputType.INTEGER);

    /**
     * Returns {0} for a user without devices, else {1} followed by five entries per device handed out: device ID,
     * registration ID, signed prekey, 1 or 0 (whether a one-time prekey follows), the one-time prekey or ''. The
     * one-time key lists are named from ARGV[1], the user's prefix, so they share the hash tag of KEYS.
     */
    private static final LuaScript CLAIM = new LuaScript("""
            local ids = redis.call('HGETALL', KEYS[1])
            if #ids == 0 then
              return {0}
            end
            local known = {}
            for i = 2, #ARGV do
              known[ARGV[i]] = true
            end
            local out = {1}
            for i = 1, #ids, 2 do
              local device = ids[i]
              if not known[device] then
                local key = redis.call('LPOP', ARGV[1] .. device)
                out[#out + 1] = device
                out[#out + 1] = ids[i + 1]
                out[#out + 1] = redis.call('HGET', KEYS[2], device)
                if key then
                  out[#out + 1] = 1
                  out[#out + 1] = key
                else
                  out[#out + 1] = 0
                  out[#out + 1] = ''
                end
              end
            end
            return out
            """, ScriptOutputType.MULTI);

    private static final int FIELDS = 5;

    private final RedisConnection connection;
    private final boolean owned;
    private final RedisCalls calls;

    private RedisPreKeyStore(RedisConnection connection, boolean owned) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.owned = owned;
        this.calls = new RedisCalls(connection, TIMEOUT);
    }

    /** Connects as the settings say; {@link #close()} closes the connection. */
    public static RedisPreKeyStore open(RedisSettings settings) {
        return new RedisPreKeyStore(RedisConnection.open(settings), true);
    }

    /** A store over a connection the caller keeps and closes. */
    public static RedisPreKeyStore over(RedisConnection connection) {
        return new RedisPreKeyStore(connection, false);
    }

    @Override
    public void register(Address address, Registration registration) {
        UserId user = address.userId();
        List<byte[]> oneTime = registration.oneTimePreKeys();
        byte[][] args = new byte[3 + oneTime.size()][];
        args[0] = PreKeyKeys.bytes(PreKeyKeys.device(address.deviceId()));
        args[1] = PreKeyKeys.bytes(Integer.toUnsignedString(registration.registrationId()));
        args[2] = registration.signedPreKey();
        for (int i = 0; i < oneTime.size(); i++) {
            args[3 + i] = oneTime.get(i);
        }
        REGISTER.<Long>run(calls, "register", deviceKeys(address, user), args);
    }

    @Override
    public void unregister(Address address) {
        UNREGISTER.<Long>run(
                calls,
                "unregister",
                deviceKeys(address, address.userId()),
                PreKeyKeys.bytes(PreKeyKeys.device(address.deviceId())));
    }

    @Override
    public List<PreKeyBundle> claim(PreKeyRequest request) {
        UserId user = request.userId();
        byte[][] args = new byte[1 + request.knownDeviceIds().size()][];
        args[0] = PreKeyKeys.oneTimePrefix(user);
        int i = 1;
        for (int known : request.knownDeviceIds()) {
            args[i++] = PreKeyKeys.bytes(PreKeyKeys.device(known));
        }
        List<Object> reply = CLAIM.run(
                calls, "claim", new byte[][] {PreKeyKeys.registrations(user), PreKeyKeys.signedPreKeys(user)}, args);
        if (reply.isEmpty() || ((Long) reply.getFirst()) == 0) {
            throw SluiceException.unknownUser(user);
        }
        List<PreKeyBundle> bundles = new ArrayList<>();
        for (int at = 1; at + FIELDS <= reply.size(); at += FIELDS) {
            int deviceId = unsigned(reply.get(at));
            int registrationId = unsigned(reply.get(at + 1));
            byte[] signed = (byte[]) reply.get(at + 2);
            byte[] oneTime = ((Long) reply.get(at + 3)) == 1 ? (byte[]) reply.get(at + 4) : null;
            bundles.add(new PreKeyBundle(deviceId, registrationId, signed, oneTime));
        }
        bundles.sort((a, b) -> Integer.compareUnsigned(a.deviceId(), b.deviceId()));
        return bundles;
    }

    @Override
    public int count(Address address) {
        Long length = calls.call(() -> connection.commands().llen(PreKeyKeys.oneTime(address)), "count");
        return length == null ? 0 : Math.toIntExact(length);
    }

    /** Closes the connection, when this store opened it. */
    @Override
    public void close() {
        if (owned) {
            connection.close();
        }
    }

    private static byte[][] deviceKeys(Address address, UserId user) {
        return new byte[][] {PreKeyKeys.registrations(user), PreKeyKeys.signedPreKeys(user), PreKeyKeys.oneTime(address)
        };
    }

    private static int unsigned(Object field) {
        return Integer.parseUnsignedInt(new String((byte[]) field, StandardCharsets.US_ASCII));
    }
}
