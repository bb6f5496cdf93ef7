package io.sluice.bench;

/**
 * Something a message goes through from a sender to a receiver: Sluice (sender connection, gateway, recipient
 * connection), the echo baseline (one connection, there and back) or the Kafka producer alone (producer to
 * broker, acked). Every arrival is reported to the {@link Deliveries} the path was opened with.
 */
interface MessagePath extends AutoCloseable {
    /** Sends message {@code index} with this body; must not block for long. */
    void send(long index, long intendedNanos, byte[] body);

    /** How many connections (or producers) the path holds open. */
    int connections();

    @Override
    void close();
}
