package io.sluice.spi;

import java.util.Objects;

/**
 * A sealed message waiting in a device's queue.
 *
 * @param id   its position in the queue, increasing in the order the messages were accepted
 * @param body the sealed bytes, opaque to Sluice
 */
public record QueuedMessage(long id, byte[] body) {
    public QueuedMessage {
        Objects.requireNonNull(body, "body");
    }

    /** Message bodies stay out of logs. */
    @Override
    public String toString() {
        return "QueuedMessage[id=" + id + ", bytes=" + body.length + "]";
    }
}
