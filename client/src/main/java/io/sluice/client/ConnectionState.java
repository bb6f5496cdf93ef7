package io.sluice.client;

/** Where a {@link SluiceClient} stands with the gateway; see {@link SluiceClient#onStateChange}. */
public enum ConnectionState {
    /** The first connection is being opened. */
    CONNECTING,
    /** Connected (and, once {@link SluiceClient#login} was called, logged in): requests go out at once. */
    OPEN,
    /** The connection was lost and another is being opened; requests wait for it (within their timeout). */
    RECONNECTING,
    /** Closed for good: by {@link SluiceClient#close()}, or, without reconnecting, by losing the connection. */
    CLOSED
}
