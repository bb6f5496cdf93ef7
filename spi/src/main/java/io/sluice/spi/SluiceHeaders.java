package io.sluice.spi;

/**
 * Names of the exchange headers the {@code sluice:} endpoints set and read. Routes use them by these names,
 * for example {@code ${header.SluiceUserId}} in the simple language.
 *
 * <table>
 *   <caption>Which endpoint carries which header</caption>
 *   <tr><th>endpoint</th><th>{@link #ADDRESS}, {@link #USER_ID}, {@link #DEVICE_ID}</th></tr>
 *   <tr><td>register, unregister, preKeyCount</td><td>the authenticated connection's Address</td></tr>
 *   <tr><td>requestPreKeys</td><td>the requested user ({@link #USER_ID} only)</td></tr>
 *   <tr><td>outbound</td><td>the recipient Address</td></tr>
 *   <tr><td>deliver (read)</td><td>the recipient Address: {@link #ADDRESS}, or {@link #USER_ID} and
 *       {@link #DEVICE_ID}</td></tr>
 * </table>
 */
public final class SluiceHeaders {
    /** The {@link Address} object. */
    public static final String ADDRESS = "SluiceAddress";
    /** The UserID in its base64url text form (a String). */
    public static final String USER_ID = "SluiceUserId";
    /** The device ID (an Integer, unsigned on the wire). */
    public static final String DEVICE_ID = "SluiceDeviceId";
    /** The request's sequence number on its connection (a Long, since it is unsigned 32-bit on the wire). */
    public static final String SEQUENCE = "SluiceSequence";
    /** The id of the client connection the request came in on (a String, for logs and tracing). */
    public static final String CONNECTION_ID = "SluiceConnectionId";
    /**
     * On {@code sluice:deliver}: an id that makes queueing idempotent. A second message with an id already
     * queued (for example a Kafka record redelivered after a crash) is dropped. Optional.
     *
     * <p>Two forms. {@code <stream>@<position>}, where the position is a decimal number that only grows along
     * the stream (a Kafka partition's offsets: {@code sluice.sealed-3@41}; a JetStream stream's sequence), drops
     * a message at or below the highest position queued from that stream: the queue keeps one number per
     * stream, for ever, so a stream read again from any earlier point never queues a message twice. Any other
     * id is remembered for a while (the embedded queue: {@code sluice.embedded.dedup-retention}).
     */
    public static final String MESSAGE_ID = "SluiceMessageId";
    /**
     * Set by {@code sluice:deliver} on each item of a batch (a body that is a list of exchanges or messages, such as
     * a Kafka consumer's poll with {@code batching=true}): what became of that item, as the lower-case name of an
     * {@link Enqueued.Outcome} ({@code queued}, {@code duplicate}, {@code refused_messages_quota}, {@code
     * refused_bytes_quota}), or {@code invalid} when the item names no recipient or has no body (then {@link
     * #ERROR_DESCRIPTION} says why). A single message that is refused fails its exchange instead.
     */
    public static final String DELIVER_OUTCOME = "SluiceDeliverOutcome";
    /**
     * Set by a route to answer the request with this protocol error name instead of success, for routes that
     * map a backend's reply to an error without throwing (for example an HTTP 404 to {@code unknown_user}).
     */
    public static final String ERROR = "SluiceError";
    /** The description to go with {@link #ERROR}. */
    public static final String ERROR_DESCRIPTION = "SluiceErrorDescription";

    private SluiceHeaders() {}
}
