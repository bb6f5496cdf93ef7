package io.sluice.gateway.camel;

import io.sluice.spi.Address;
import io.sluice.spi.Enqueued;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.SluiceException;

/**
 * The gateway's policy at {@code sluice:deliver}: the quota every recipient's queue is held to (checked by the
 * queue in the same step that appends), and what a refusal answers. Also told of every message, for the metrics.
 *
 * <pre>{@code
 * new SluiceComponent(queue, DeliverGuard.of(new QueueQuota(10_000, 0), (recipient, result) -> null));
 * }</pre>
 */
public interface DeliverGuard {
    /** No quota, nothing refused. */
    DeliverGuard NONE = of(QueueQuota.NONE, (recipient, result) -> null);

    /** The quota of every recipient's queue. */
    QueueQuota quota();

    /**
     * Told what became of a message.
     *
     * @return the failure its sender gets ({@code rate_limited} for a full queue), or null when it was accepted
     */
    SluiceException enqueued(Address recipient, Enqueued result);

    /** A guard of this quota, answering with {@code check}. */
    static DeliverGuard of(QueueQuota quota, java.util.function.BiFunction<Address, Enqueued, SluiceException> check) {
        return new DeliverGuard() {
            @Override
            public QueueQuota quota() {
                return quota;
            }

            @Override
            public SluiceException enqueued(Address recipient, Enqueued result) {
                return check.apply(recipient, result);
            }
        };
    }
}
