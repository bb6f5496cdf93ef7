package io.sluice.gateway.protocol;

import java.time.Duration;

/**
 * The settings a connection works with.
 *
 * @param lowThreshold        PreKeysLow is sent when a device has fewer one-time prekeys than this
 * @param keysRequested       how many keys PreKeysLow asks for
 * @param checkInterval       how often an authenticated connection's prekeys are checked after login
 * @param deliveryWindow      how many inbound messages may await their ack on one connection
 * @param maxRequestsInFlight how many requests of one connection may be in progress before reading pauses
 * @param requestTimeout      a request not answered this long after it arrived answers {@code unavailable}
 */
public record ProtocolSettings(
        int lowThreshold,
        int keysRequested,
        Duration checkInterval,
        int deliveryWindow,
        int maxRequestsInFlight,
        Duration requestTimeout) {}
