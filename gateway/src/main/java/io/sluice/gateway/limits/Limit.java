package io.sluice.gateway.limits;

/** The limits Sluice enforces, each with its setting and its tag on {@code sluice.limits.rejected}. */
public enum Limit {
    /** Open WebSocket connections from one client IP: over it, the new connection is closed with 1013. */
    CONNECTIONS_PER_IP("connections-per-ip"),
    /** Requests per connection: over it, {@code Error{rate_limited}}. */
    REQUESTS("requests"),
    /** {@code requestPreKeys} per requested user, from all connections together: {@code Error{rate_limited}}. */
    PREKEY_REQUESTS("prekey-requests"),
    /** Failed logins per client IP: over it, logins from that IP are answered {@code Error{rate_limited}} unchecked. */
    FAILED_LOGINS("failed-logins"),
    /**
     * Failed logins per claimed UserID from one client IP: over it, logins as that user from that IP are answered
     * {@code Error{rate_limited}} unchecked.
     */
    FAILED_LOGINS_PER_USER("failed-logins-per-user"),
    /** Messages waiting for one recipient Address: the sender is answered {@code Error{rate_limited}}. */
    QUEUE_MESSAGES("queue-messages"),
    /** Bytes waiting for one recipient Address: the sender is answered {@code Error{rate_limited}}. */
    QUEUE_BYTES("queue-bytes");

    private final String tag;

    Limit(String tag) {
        this.tag = tag;
    }

    /** Its name in settings ({@code sluice.limits.<tag>}) and metrics. */
    public String tag() {
        return tag;
    }

    /** The setting that configures it. */
    public String setting() {
        return "sluice.limits." + tag;
    }
}
