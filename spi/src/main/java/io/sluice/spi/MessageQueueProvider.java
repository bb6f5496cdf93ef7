package io.sluice.spi;

/**
 * Opens a {@link MessageQueue} of one type. Found with {@link java.util.ServiceLoader}; the gateway picks the
 * provider whose {@link #type()} equals the {@code sluice.queue.type} setting.
 */
public interface MessageQueueProvider {

    /** The name this queue is chosen by, for example {@code embedded}. */
    String type();

    /** Opens the queue with the gateway's settings. */
    MessageQueue open(Settings settings);
}
