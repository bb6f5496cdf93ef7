package io.sluice.spi;

import java.util.Objects;

/**
 * A dedup id of the form {@code <stream>@<position>}: a stream's name and a position that only grows along it, as
 * a Kafka record's {@code <topic>-<partition>@<offset>}. Queues keep the highest position queued per stream instead
 * of every id (see {@link Enqueue#dedupId()}).
 *
 * @param stream   the name before the last {@code @}, not empty
 * @param position the decimal number after it
 */
public record StreamPosition(String stream, long position) {
    public StreamPosition {
        Objects.requireNonNull(stream, "stream");
    }

    /** The stream and position of a dedup id of that form, or null (also for a null id). */
    public static StreamPosition parse(String dedupId) {
        if (dedupId == null) {
            return null;
        }
        int at = dedupId.lastIndexOf('@');
        if (at <= 0 || at == dedupId.length() - 1 || dedupId.length() - at > 20) {
            return null;
        }
        for (int i = at + 1; i < dedupId.length(); i++) {
            if (dedupId.charAt(i) < '0' || dedupId.charAt(i) > '9') {
                return null;
            }
        }
        try {
            return new StreamPosition(dedupId.substring(0, at), Long.parseLong(dedupId.substring(at + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
