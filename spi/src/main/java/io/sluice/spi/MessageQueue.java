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
