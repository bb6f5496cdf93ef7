package io.sluice.spi;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The durable per-device message queues behind {@code sluice:deliver}.
 *
 * <p>Every operation is asynchronous and made for batches: a queue takes whatever is pending at a moment in one
 * write (a RocksDB write batch, a Redis pipeline), so no caller thread waits on storage and many small requests
 * cost one round trip. A stage that fails, fails with a {@link SluiceException}, {@link ErrorName#UNAVAILABLE}
 * when the queue's storage cannot be reached.
 *
 * <p><b>Order.</b> Messages are accepted in the order {@link #enqueue} is called, and within one call in list
 * order: a call made after another one returned is accepted after it, even while the first has not completed.
 * So one sender's pipelined messages to one recipient keep their order without waiting for each other. Ids grow
 * in acceptance order per recipient, and {@link #read} returns a recipient's messages in id order.
 *
 * <p><b>Several gateways.</b> Delivery never assumes the process that queued a message holds the recipient's
 * connection: a gateway {@link #subscribe subscribes} for each Address it holds a live connection of, and the
 * queue wakes every subscriber, in whatever process, when something is queued for it. Subscriptions are also the
 * gateway's channel to an Address's connections across processes ({@link #signal}). A queue shared by several
 * gateways (Redis) implements the same contract; every implementation passes the test kit's
 * {@code MessageQueueContract}.
 */
public interface MessageQueue extends AutoCloseable {

    /**
     * Appends messages to their recipients' queues, each checked against {@code quota} and deduplicated by its
     * {@link Enqueue#dedupId()}, atomically with its append: concurrent senders cannot overrun a quota.
     *
     * <p>Within one call, once a message with a positioned id ({@code <stream>@<position>}) is refused, the later
     * messages of its stream in that call are refused too, with the same outcome: at least those for the same
     * recipient, and those for every recipient where the queue keeps one position per stream. So the refused
     * message, enqueued again by a later call, is queued, not dropped as a duplicate of a later one.
     *
     * @return completes once every message of the call is durable (it survives a crash of the process, and of
     *     the storage as its documentation says) or was refused, with one result per message in the order given.
     *     Fails when the queue could not take the call; a call of several messages is not a transaction, so some
     *     of them may then have been queued: callers that retry a batch give each message a dedup id.
     */
    CompletionStage<List<Enqueued>> enqueue(List<Enqueue> messages, QueueQuota quota);

    /** {@link #enqueue(List, QueueQuota)} for one message. */
    default CompletionStage<Enqueued> enqueue(Enqueue message, QueueQuota quota) {
        return enqueue(List.of(message), quota).thenApply(results -> results.get(0));
    }

    /** Up to {@code max} queued messages of the recipient with ids greater than {@code afterId}, in id order. */
    CompletionStage<List<QueuedMessage>> read(Address recipient, long afterId, int max);

    /**
     * Removes one message for good: it will not be read again. Acknowledging twice, or a message that is gone, is
     * harmless.
     *
     * @return completes once the removal is durable
     */
    CompletionStage<Void> acknowledge(Address recipient, long id);

    /** How many messages and bytes wait for the recipient, from counters the queue keeps (not a scan). */
    CompletionStage<QueueUsage> usage(Address recipient);

    /**
     * Throws when the queue cannot serve requests now. The gateway's readiness probe calls it every few seconds,
     * so it should be cheap (a connection check, not a query). The default assumes the queue can.
     *
     * @throws SluiceException {@link ErrorName#UNAVAILABLE} naming what is unreachable
     */
    default void checkAvailable() {}

    /**
     * Asks to be told, from any thread, what happens to the recipient's queue until the subscription is closed.
     * The listener must return quickly: it is a wake-up call.
     *
     * <p>A queue that loses its notifications for a while (a reconnect to its server) calls {@link
     * Listener#wake()} on every subscriber once it is back, so that no message waits for a notification that was
     * lost.
     *
     * @return a handle that ends the subscription when closed
     */
    Subscription subscribe(Address recipient, Listener listener);

    /**
     * Tells every subscriber of the Address, in every process sharing the queue, about something other than a
     * queued message ({@link Listener#signalled}). Best effort: a signal to an Address nobody subscribes to, or
     * lost in a reconnect, is dropped.
     */
    CompletionStage<Void> signal(Address recipient, Signal signal);

    /** Releases the queue's resources; durable state stays. */
    @Override
    void close();

    /** What a subscriber of an Address is told. */
    @FunctionalInterface
    interface Listener {

        /** Something was (or may have been) queued for the Address: read the queue to see what. */
        void wake();

        /**
         * This message was just queued for the Address by this process. A queue calls it only when it can promise
         * order: for one subscription, calls come in id order, and a subscriber that has read every message up to
         * some id and then gets {@code queued(m)} has been told of, or has read, every message queued before
         * {@code m}. The subscriber may then send {@code m} without reading it back. A queue that cannot promise
         * this (one shared by several processes) calls {@link #wake()} instead, which is the default.
         */
        default void queued(QueuedMessage message) {
            wake();
        }

        /** A {@link Signal} for the Address. Ignored by default. */
        default void signalled(Signal signal) {}
    }

    /** What {@link #signal} carries. */
    enum Signal {
        /** One-time prekeys of the Address were claimed: its connections should check their stock. */
        PREKEYS_CLAIMED
    }

    /** An active subscription. */
    interface Subscription extends AutoCloseable {
        /** Ends the subscription. */
        @Override
        void close();
    }
}
