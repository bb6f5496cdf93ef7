package io.sluice.spi;

/**
 * How much may wait for one recipient Address. A message that would go over is refused by {@link
 * MessageQueue#enqueue}, in the same atomic step that would have queued it.
 *
 * @param messages the most messages waiting per recipient, 0 for no limit
 * @param bytes    the most bytes of bodies waiting per recipient, 0 for no limit
 */
public record QueueQuota(long messages, long bytes) {
    /** No limit. */
    public static final QueueQuota NONE = new QueueQuota(0, 0);

    public QueueQuota {
        if (messages < 0 || bytes < 0) {
            throw new IllegalArgumentException("messages: " + messages + ", bytes: " + bytes + " (expected: >= 0)");
        }
    }

    /** What a message of {@code size} bytes meets when {@code usage} already waits: null when it fits. */
    public Enqueued.Outcome check(QueueUsage usage, long size) {
        if (messages != 0 && usage.messages() >= messages) {
            return Enqueued.Outcome.REFUSED_MESSAGES_QUOTA;
        }
        if (bytes != 0 && usage.bytes() + size > bytes) {
            return Enqueued.Outcome.REFUSED_BYTES_QUOTA;
        }
        return null;
    }
}
