package io.sluice.spi;

import java.util.List;

/**
 * The durable per-device message queues behind {@code sluice:deliver}.
 *
 * <p>Delivery never assumes the process that queued a message holds the recipient's connection: a gateway
 * {@link #subscribe subscribes} for each Address it holds a live connection of, and the queue tells every
 * subscriber, in whatever process, that something arrived. A queue shared by several gateways (PostgreSQL,
 * Redis) implements the same contract. Every implementation passes the test kit's {@code MessageQueueContract}.
 */
public interface MessageQueue extends AutoCloseable {

    /**
     * Appends a message to the recipient's queue. When this returns, the message survives a crash of the
     * process.
     *
     * @param dedupId an id that makes the call idempotent (a message with an id seen before is dropped), or
     *                {@code null}
     * @return {@code true} if queued, {@code false} if dropped as a duplicate
     * @throws SluiceException {@link ErrorName#UNAVAILABLE} when the queue cannot take it; nothing was queued
     */
    boolean enqueue(Address recipient, byte[] body, String dedupId);

    /** Up to {@code max} queued messages of the recipient with ids greater than {@code afterId}, in order. */
    List<QueuedMessage> read(Address recipient, long afterId, int max);

    /** Removes one message for good: it will not be read again. Acknowledging twice is harmless. */
    void acknowledge(Address recipient, long id);

    /** How many messages wait for the recipient. */
    long depth(Address recipient);

    /**
     * How many messages and bytes wait for the recipient. The gateway asks before every {@code sluice:deliver} to
     * enforce the per-recipient quotas, so a queue should answer from counters it keeps rather than by reading
     * the messages, which is what this default does.
     */
    default QueueUsage usage(Address recipient) {
        long messages = 0;
        long bytes = 0;
        long after = 0;
        for (List<QueuedMessage> page; !(page = read(recipient, after, 1024)).isEmpty(); ) {
            for (QueuedMessage message : page) {
                messages++;
                bytes += message.body().length;
                after = message.id();
            }
        }
        return new QueueUsage(messages, bytes);
    }

    /**
     * Throws when the queue cannot serve requests now. The gateway's readiness probe calls it every few seconds,
     * so it should be cheap (a connection check, not a query). The default assumes the queue can.
     *
     * @throws SluiceException {@link ErrorName#UNAVAILABLE} naming what is unreachable
     */
    default void checkAvailable() {}

    /**
     * Asks to be told, from any thread, whenever a message is queued for the recipient. The listener must
     * return quickly; it is a wake-up call, and the subscriber reads the queue to see what arrived.
     *
     * @return a handle that ends the subscription when closed
     */
    Subscription subscribe(Address recipient, Runnable listener);

    /** Releases the queue's resources; durable state stays. */
    @Override
    void close();

    /** An active subscription. */
    interface Subscription extends AutoCloseable {
        /** Ends the subscription. */
        @Override
        void close();
    }
}
