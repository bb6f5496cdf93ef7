package io.sluice.gateway.protocol;

/** The WebSocket close codes Sluice uses (RFC 6455, section 7.4.1), named once. */
public enum CloseStatus {
    /** The connection has done its job. */
    NORMAL(1000),
    /** The server is shutting down, or the connection went quiet past its idle timeout. */
    GOING_AWAY(1001),
    /** The client broke a rule it cannot recover from on this connection (a failed login). */
    POLICY_VIOLATION(1008),
    /** A frame exceeded sluice.max-frame-bytes. Jetty sends this one itself. */
    MESSAGE_TOO_BIG(1009),
    /** The server failed. */
    SERVER_ERROR(1011),
    /** A limit refused the connection (too many from its IP): the client may come back later. */
    TRY_AGAIN_LATER(1013);

    private final int code;

    CloseStatus(int code) {
        this.code = code;
    }

    /** The code in the close frame. */
    public int code() {
        return code;
    }
}
