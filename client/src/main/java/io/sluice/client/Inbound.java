package io.sluice.client;

/**
 * A sealed message delivered to this client. Ack it once it is safely stored: the server sends it again (to this
 * device's next connection) until one connection acks it.
 *
 * <p>An ack only means something on the connection that delivered the message, with that connection's
 * sequence: if that connection is gone, {@link #ack()} sends nothing and returns false, and the server delivers
 * the message again on a later connection, where that delivery is acked. Delivery is therefore at least once:
 * a message whose ack was lost with its connection arrives twice.
 */
public interface Inbound {
    /** The sealed bytes. */
    byte[] body();

    /** The server's sequence of this delivery, on the connection that delivered it. */
    int sequence();

    /**
     * Tells the server the message is stored and must not be sent again. Acking twice sends one ack.
     *
     * @return true when the ack went out on the connection that delivered the message (now or on an earlier
     *     call); false when that connection is gone and the message will be delivered again
     */
    boolean ack();
}
