package io.sluice.gateway.camel;

import io.sluice.spi.Address;
import io.sluice.spi.QueueUsage;

/**
 * Looks at a recipient's queue before {@code sluice:deliver} adds a message to it: the per-recipient quotas refuse
 * the message by throwing, and the metrics record the queue's depth.
 *
 * <pre>{@code
 * new SluiceComponent(queue, (recipient, usage, bytes) -> limits.checkQueue(usage, bytes));
 * }</pre>
 */
@FunctionalInterface
public interface DeliverGuard {

    /**
     * Called before each message is queued.
     *
     * @param usage what already waits for the recipient
     * @param bytes the size of the message to be queued
     * @throws io.sluice.spi.SluiceException to refuse it ({@code rate_limited} for a full queue); the route, and
     *                                       so the sender, sees the failure
     */
    void check(Address recipient, QueueUsage usage, int bytes);
}
