package io.sluice.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies recorded from many threads into one HdrHistogram. Values are nanoseconds from the <em>intended</em>
 * start of an operation (its slot in the offered schedule), not from when the generator got round to it, so a
 * stalled server shows up as latency instead of as fewer samples (coordinated omission).
 */
final class Latency {
    /** Up to one hour, three significant digits. */
    private static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

    private final Recorder recorder = new Recorder(HIGHEST_NANOS, 3);

    /** Records one operation that was meant to start at {@code intendedNanos} and ended at {@code endNanos}. */
    void record(long intendedNanos, long endNanos) {
        long nanos = Math.max(1, endNanos - intendedNanos);
        recorder.recordValue(Math.min(nanos, HIGHEST_NANOS));
    }

    /** Everything recorded since the last call, and starts afresh. */
    Summary drain() {
        return Summary.of(recorder.getIntervalHistogram());
    }

    /**
     * The percentiles reported, in milliseconds.
     *
     * @param count how many operations were recorded
     */
    record Summary(long count, double p50, double p99, double p999, double max) {
        static final Summary EMPTY = new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        static Summary of(Histogram histogram) {
            if (histogram.getTotalCount() == 0) {
                return EMPTY;
            }
            return new Summary(
                    histogram.getTotalCount(),
                    millis(histogram.getValueAtPercentile(50)),
                    millis(histogram.getValueAtPercentile(99)),
                    millis(histogram.getValueAtPercentile(99.9)),
                    millis(histogram.getMaxValue()));
        }

        private static double millis(long nanos) {
            return nanos / 1e6;
        }
    }
}
