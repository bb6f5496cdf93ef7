package io.sluice.spi;

import java.util.Objects;

/**
 * A message to append to a recipient's queue.
 *
 * @param recipient the Address whose queue takes it
 * @param body      the sealed bytes, opaque to Sluice
 * @param dedupId   makes queueing idempotent, or {@code null}: a message whose id was queued before is dropped
 *                  as a duplicate, even after that one was acknowledged. An id of the form {@code
 *                  <stream>@<position>} (a Kafka record's {@code <topic>-<partition>@<offset>}) names a position
 *                  that only grows along its stream: the queue keeps the highest position queued per stream and
 *                  drops any at or below it. A refused message holds back the later messages of its stream in
 *                  the same call (see {@link MessageQueue#enqueue(java.util.List, QueueQuota)}), so that it is
 *                  queued when sent again. Any other id is remembered for the queue's dedup retention.
 */
public record Enqueue(Address recipient, byte[] body, String dedupId) {
    public Enqueue {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(body, "body");
    }

    /** A message without a dedup id. */
    public Enqueue(Address recipient, byte[] body) {
        this(recipient, body, null);
    }

    /** Message bodies stay out of logs. */
    @Override
    public String toString() {
        return "Enqueue[recipient=" + recipient + ", bytes=" + body.length + ", dedupId=" + dedupId + "]";
    }
}
