package io.sluice.spi;

import java.util.Objects;

/**
 * What became of one message given to {@link MessageQueue#enqueue}.
 *
 * @param outcome queued, dropped as a duplicate, or refused by the quota
 * @param id      the message's id when {@link Outcome#QUEUED}, else 0
 * @param usage   what waits for the recipient after this message (counting it when it was queued): the gateway's
 *                queue-depth metric reads it
 */
public record Enqueued(Outcome outcome, long id, QueueUsage usage) {
    public Enqueued {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(usage, "usage");
    }

    /** Whether the message is now in the queue, or was already (a duplicate): either way the sender may be told so. */
    public boolean accepted() {
        return outcome == Outcome.QUEUED || outcome == Outcome.DUPLICATE;
    }

    /** What became of a message. */
    public enum Outcome {
        /** Appended. */
        QUEUED,
        /** Dropped: its dedup id was queued before. */
        DUPLICATE,
        /** Refused: the recipient already has {@link QueueQuota#messages()} messages waiting. */
        REFUSED_MESSAGES_QUOTA,
        /** Refused: it would take the recipient's waiting bytes over {@link QueueQuota#bytes()}. */
        REFUSED_BYTES_QUOTA
    }
}
