package io.sluice.spi;

/**
 * What waits in one recipient's queue.
 *
 * @param messages how many messages
 * @param bytes    their bodies' total size
 */
public record QueueUsage(long messages, long bytes) {
    /** An empty queue. */
    public static final QueueUsage EMPTY = new QueueUsage(0, 0);

    public QueueUsage {
        if (messages < 0 || bytes < 0) {
            throw new IllegalArgumentException("messages: " + messages + ", bytes: " + bytes + " (expected: >= 0)");
        }
    }
}
