package io.sluice.connector.rest;

/**
 * A key store's answer to a count, {@code {"count": n}}. The {@code sluice:preKeyCount} route converts the HTTP
 * reply to this type ({@code convertBodyTo: io.sluice.connector.rest.PreKeyCount}); the gateway then reads it
 * as an {@code Integer} through the connector's converter.
 *
 * @param count one-time prekeys left, never negative
 */
public record PreKeyCount(int count) {
    public PreKeyCount {
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
    }
}
