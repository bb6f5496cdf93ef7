package io.sluice.faults;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every message of a fault run, counted: sent (attempts, resends included), acked by the gateway, delivered to its
 * recipient (first deliveries), delivered again (duplicates), delivered before an earlier message of its stream
 * (out of order), and acked but never delivered (lost). A stream is one sender's messages to one recipient, sent
 * one at a time in sequence, so its first deliveries must come in sequence.
 *
 * <p>Thread-safe: senders and recipients record from their own threads.
 */
final class Ledger {
    private final Map<String, Long> ackedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
    private final Map<Integer, Long> lastDelivered = new ConcurrentHashMap<>();
    private final AtomicLong sends = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();
    private final AtomicLong lastAckNanos = new AtomicLong();
    private final AtomicLong lastDeliveryNanos = new AtomicLong();

    /** The body of message {@code seq} of {@code stream}, padded to {@code size} bytes. */
    static byte[] body(int stream, long seq, int size) {
        String head = stream + ":" + seq + ":";
        StringBuilder text = new StringBuilder(head);
        while (text.length() < size) {
            text.append('.');
        }
        return text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static String key(byte[] body) {
        String text = new String(body, java.nio.charset.StandardCharsets.US_ASCII);
        int second = text.indexOf(':', text.indexOf(':') + 1);
        return text.substring(0, second);
    }

    void sent() {
        sends.incrementAndGet();
    }

    void acked(int stream, long seq) {
        long now = System.nanoTime();
        ackedAt.putIfAbsent(stream + ":" + seq, now);
        lastAckNanos.set(now);
    }

    /** A recipient got this body. */
    void delivered(byte[] body) {
        long now = System.nanoTime();
        String key = key(body);
        if (deliveredAt.putIfAbsent(key, now) != null) {
            duplicates.incrementAndGet();
            return;
        }
        lastDeliveryNanos.set(now);
        int colon = key.indexOf(':');
        int stream = Integer.parseInt(key.substring(0, colon));
        long seq = Long.parseLong(key.substring(colon + 1));
        lastDelivered.merge(stream, seq, (before, now2) -> {
            if (now2 < before) {
                outOfOrder.incrementAndGet();
                return before;
            }
            return now2;
        });
    }

    /** When the last ack arrived, {@link System#nanoTime()}; 0 before the first. */
    long lastAckNanos() {
        return lastAckNanos.get();
    }

    /** When the last first delivery arrived, {@link System#nanoTime()}; 0 before the first. */
    long lastDeliveryNanos() {
        return lastDeliveryNanos.get();
    }

    long acked() {
        return ackedAt.size();
    }

    long delivered() {
        return deliveredAt.size();
    }

    /** Acked messages not delivered (yet: at the end of a run, lost). */
    long undelivered() {
        return ackedAt.keySet().stream()
                .filter(k -> !deliveredAt.containsKey(k))
                .count();
    }

    /** The counts so far. */
    Counts counts() {
        return new Counts(
                sends.get(),
                acked(),
                delivered(),
                undelivered(),
                duplicates.get(),
                outOfOrder.get(),
                deliveredAt.keySet().stream()
                        .filter(k -> !ackedAt.containsKey(k))
                        .count());
    }

    /**
     * The figures of a run.
     *
     * @param sent              send attempts, resends included
     * @param acked             distinct messages the gateway acked
     * @param delivered         distinct messages a recipient received
     * @param lost              acked and never delivered
     * @param duplicates        deliveries of a message already delivered
     * @param outOfOrder        first deliveries that came after a later message of their stream
     * @param deliveredUnacked  delivered though the sender never saw the ack (the gateway died in between): fine
     */
    record Counts(
            long sent, long acked, long delivered, long lost, long duplicates, long outOfOrder, long deliveredUnacked) {
        @Override
        public String toString() {
            return "sent=" + sent + " acked=" + acked + " delivered=" + delivered + " lost=" + lost + " duplicates="
                    + duplicates + " out_of_order=" + outOfOrder + " delivered_unacked=" + deliveredUnacked;
        }
    }
}
