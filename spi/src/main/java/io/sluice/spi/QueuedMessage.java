package io.sluice.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A sealed message waiting in a device's queue.
 *
 * @param id       its position in the queue, increasing in the order the messages were accepted
 * @param body     the sealed bytes, opaque to Sluice
 * @param queuedAt when the queue accepted it, or {@code null} when the queue does not know; the gateway's
 *                 delivery-lag metric is measured from it
 */
public record QueuedMessage(long id, byte[] body, Instant queuedAt) {
    public QueuedMessage {
        Objects.requireNonNull(body, "body");
    }

    /** A message whose acceptance time is not known. */
    public QueuedMessage(long id, byte[] body) {
        this(id, body, null);
    }

    /** Message bodies stay out of logs. */
    @Override
    public String toString() {
        return "QueuedMessage[id=" + id + ", bytes=" + body.length + ", queuedAt=" + queuedAt + "]";
    }
}
