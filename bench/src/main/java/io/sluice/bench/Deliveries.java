package io.sluice.bench;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bodies a load step sends and what becomes of them. Each body starts with the time its send was due
 * ({@link System#nanoTime}, the sender and receiver being one process) and the step it belongs to; the rest is
 * random filler up to the message size. A body that arrives is recorded as end-to-end latency from that due time;
 * one from an earlier step (a backlog draining) is counted as stale and not recorded.
 */
final class Deliveries {
    static final int HEADER_BYTES = Long.BYTES + Integer.BYTES;

    private final byte[] filler;
    private final Latency endToEnd = new Latency();
    private final Latency accepted = new Latency();
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong deliveredInWindow = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private volatile int step;
    private volatile long windowEndNanos = Long.MAX_VALUE;

    Deliveries(int maxBytes) {
        filler = new byte[maxBytes];
        new SplittableRandom(7).nextBytes(filler);
    }

    /** Starts a new step: counters and histograms from zero; deliveries after {@code windowEnd} count late. */
    void startStep(int id, long windowEnd) {
        step = id;
        windowEndNanos = windowEnd;
        issued.set(0);
        delivered.set(0);
        deliveredInWindow.set(0);
        failed.set(0);
        stale.set(0);
        endToEnd.drain();
        accepted.drain();
    }

    /** A body of {@code size} bytes for a send due at {@code intendedNanos}; counts it as issued. */
    byte[] body(int size, long intendedNanos) {
        byte[] body = new byte[Math.max(size, HEADER_BYTES)];
        System.arraycopy(filler, 0, body, HEADER_BYTES, body.length - HEADER_BYTES);
        ByteBuffer.wrap(body).putLong(intendedNanos).putInt(step);
        issued.incrementAndGet();
        return body;
    }

    /** A body arrived at its recipient. */
    void delivered(byte[] body) {
        delivered(ByteBuffer.wrap(body));
    }

    /** A body arrived at its recipient; reads only the header. */
    void delivered(ByteBuffer body) {
        long now = System.nanoTime();
        long intended = body.getLong(body.position());
        int of = body.getInt(body.position() + Long.BYTES);
        if (of != step) {
            stale.incrementAndGet();
            return;
        }
        endToEnd.record(intended, now);
        delivered.incrementAndGet();
        if (now <= windowEndNanos) {
            deliveredInWindow.incrementAndGet();
        }
    }

    /** The server accepted (acked) a send due at {@code intendedNanos}. */
    void accepted(long intendedNanos) {
        accepted.record(intendedNanos, System.nanoTime());
    }

    /** The server refused a send, or it timed out. */
    void failed() {
        failed.incrementAndGet();
    }

    /** Sent but neither delivered nor failed yet. */
    long outstanding() {
        return issued.get() - delivered.get() - failed.get();
    }

    long issued() {
        return issued.get();
    }

    long delivered() {
        return delivered.get();
    }

    long deliveredInWindow() {
        return deliveredInWindow.get();
    }

    long failedCount() {
        return failed.get();
    }

    long staleCount() {
        return stale.get();
    }

    Latency.Summary endToEnd() {
        return endToEnd.drain();
    }

    Latency.Summary accepted() {
        return accepted.drain();
    }
}
