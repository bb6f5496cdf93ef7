package io.sluice.bench;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Redis baseline: per message, the Redis commands the Redis queue runs, pipelined from one Lettuce
 * connection, with no gateway: the queue's own {@code enqueue.lua} (next id, the body into the device's sorted
 * set, the usage counters, the expiries, a {@code PUBLISH} wake-up), then when it answered the read of that
 * message ({@code ZRANGEBYSCORE} after the previous id, as the gateway reads), the delivery, and
 * {@code acknowledge.lua} (the removal and the counters). The scripts go by {@code EVALSHA}; the keys are laid
 * out as the queue lays them out ({@code sluice:q:{<address>}:...}), for as many recipients as the Sluice path.
 */
final class RedisBarePath implements MessagePath {
    private static final byte[] NONE = {'n'};
    private static final byte[] EMPTY = {};
    private static final byte[] PUBLISH = "PUBLISH".getBytes(StandardCharsets.US_ASCII);
    /** No quota, a day's retention: the script's checks and expiries run all the same. */
    private static final byte[] NO_QUOTA = {'0'};

    private static final byte[] RETENTION = ascii(86_400_000);

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final String enqueue;
    private final String acknowledge;
    private final byte[][][] keys;
    private final byte[][] channels;
    private final Deliveries sink;

    RedisBarePath(String uri, byte[] enqueueScript, byte[] acknowledgeScript, int recipients, Deliveries sink)
            throws Exception {
        this.sink = sink;
        this.client = RedisClient.create(uri);
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
        this.redis = connection.async();
        this.enqueue = redis.scriptLoad(enqueueScript).get(10, TimeUnit.SECONDS);
        this.acknowledge = redis.scriptLoad(acknowledgeScript).get(10, TimeUnit.SECONDS);
        this.keys = new byte[recipients][][];
        this.channels = new byte[recipients][];
        for (int i = 0; i < recipients; i++) {
            byte[] user = new byte[33];
            user[0] = 0x05;
            user[1] = (byte) i;
            String prefix =
                    "sluice:q:{" + Base64.getUrlEncoder().withoutPadding().encodeToString(user) + ".1}:";
            // seq, messages, usage, streams, the dedup key (unused: no dedup id)
            keys[i] = new byte[][] {
                key(prefix, "seq"), key(prefix, "m"), key(prefix, "u"), key(prefix, "s"), key(prefix, "u")
            };
            channels[i] = key(prefix, "ch");
        }
    }

    @Override
    public void send(long index, long intendedNanos, byte[] body) {
        int recipient = (int) (index % keys.length);
        byte[][] k = keys[recipient];
        redis.<List<Long>>evalsha(
                        enqueue,
                        ScriptOutputType.MULTI,
                        k,
                        body,
                        NONE,
                        EMPTY,
                        EMPTY,
                        NO_QUOTA,
                        NO_QUOTA,
                        RETENTION,
                        PUBLISH,
                        channels[recipient])
                .whenComplete((reply, failure) -> {
                    if (failure != null || reply.get(0) != 0) {
                        sink.failed();
                        return;
                    }
                    sink.accepted(intendedNanos);
                    long id = reply.get(1);
                    read(k, id);
                });
    }

    private void read(byte[][] k, long id) {
        redis.zrangebyscore(
                        k[1],
                        Range.from(Range.Boundary.excluding(id - 1), Range.Boundary.unbounded()),
                        Limit.create(0, 1))
                .whenComplete((members, failure) -> {
                    if (failure != null || members.isEmpty()) {
                        sink.failed();
                        return;
                    }
                    byte[] member = members.get(0);
                    int first = indexOf(member, 0);
                    int second = indexOf(member, first + 1);
                    sink.delivered(Arrays.copyOfRange(member, second + 1, member.length));
                    redis.evalsha(acknowledge, ScriptOutputType.INTEGER, new byte[][] {k[1], k[2]}, ascii(id));
                });
    }

    private static int indexOf(byte[] member, int from) {
        for (int i = from; i < member.length; i++) {
            if (member[i] == ':') {
                return i;
            }
        }
        return member.length - 1;
    }

    @Override
    public int connections() {
        return 1;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }

    private static byte[] key(String prefix, String suffix) {
        return (prefix + suffix).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
