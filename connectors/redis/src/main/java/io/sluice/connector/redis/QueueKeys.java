package io.sluice.connector.redis;

import io.sluice.spi.Address;
import java.nio.charset.StandardCharsets;

/**
 * The Redis keys of one device's queue. Every key, and the device's pub/sub channel, carries the Address as its
 * hash tag ({@code sluice:q:{<address>}:...}), so a Redis Cluster keeps a device on one shard and a script may
 * touch all of them at once.
 *
 * <ul>
 *   <li>{@code seq}: the last id given (a string counter)
 *   <li>{@code m}: the messages, a sorted set scored by id whose members are {@code <id>:<queued-at ms>:<body>}
 *   <li>{@code u}: the usage counters, a hash of {@code n} (messages) and {@code b} (bytes)
 *   <li>{@code s}: the stream positions, a hash of stream name to the highest position queued
 *   <li>{@code d:<dedup id>}: a plain dedup id, present while it is remembered
 *   <li>{@code h:<call id>:<stream>}: the outcome of a refused {@code <stream>@<position>} message, which refuses
 *       the later messages of its stream for the device in the same {@code enqueue} call; expires within a minute
 *   <li>{@code ch}: the channel the device's wake-ups and signals are published on
 * </ul>
 *
 * @param prefix {@code sluice:q:{<address>}:}
 */
record QueueKeys(String prefix) {

    /** The keys of a device. */
    static QueueKeys of(Address address) {
        return new QueueKeys("sluice:q:{" + address + "}:");
    }

    byte[] sequence() {
        return key("seq");
    }

    byte[] messages() {
        return key("m");
    }

    byte[] usage() {
        return key("u");
    }

    byte[] streams() {
        return key("s");
    }

    byte[] dedup(String dedupId) {
        return key("d:" + dedupId);
    }

    byte[] held(String callId, String stream) {
        return key("h:" + callId + ":" + stream);
    }

    byte[] channel() {
        return key("ch");
    }

    private byte[] key(String suffix) {
        return (prefix + suffix).getBytes(StandardCharsets.UTF_8);
    }
}
