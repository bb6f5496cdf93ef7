package io.sluice.client;

/**
 * A sealed message delivered to this connection. Ack it once it is safely stored: the server sends it again
 * (to this device's next connection) until one connection acks it.
 */
public interface Inbound {
    /** The sealed bytes. */
    byte[] body();

    /** The server's sequence of this delivery. */
    int sequence();

    /** Tells the server the message is stored and must not be sent again. */
    void ack();
}
