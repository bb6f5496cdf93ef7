package io.sluice.gateway.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.sluice.spi.Rate;
import java.util.function.LongSupplier;

/** Bucket4j buckets of a {@link Rate}, on an injected clock: the one place a rate becomes a bucket. */
final class Buckets {
    private Buckets() {}

    /**
     * A bucket of {@code rate.count()} tokens, full at first, refilled greedily (token by token, evenly over the
     * period) rather than all at once at the end of each period, so a client at the limit is never refused for
     * longer than one token's share of the period.
     */
    static Bucket of(Rate rate, LongSupplier nanoClock) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(rate.count())
                        .refillGreedy(rate.count(), rate.period())
                        .build())
                .withCustomTimePrecision(meter(nanoClock))
                .build();
    }

    private static TimeMeter meter(LongSupplier nanoClock) {
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoClock.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
    }
}
