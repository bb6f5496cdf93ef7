package io.sluice.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Offers operations at a fixed rate, whatever the server does: operation {@code i} is due at
 * {@code start + i / rate}, and that due time, not the moment it was actually issued, is what its latency is
 * measured from. A generator that falls behind issues late operations at once (they carry their lateness as
 * latency); one that falls further behind than {@link #GIVE_UP} stops and counts the rest as not offered.
 */
final class OpenLoop {
    /** How far past the end of its window the generator may run to catch up before it gives up. */
    static final Duration GIVE_UP = Duration.ofSeconds(5);

    /** Issues one operation; {@code intendedNanos} is its due time on the {@link System#nanoTime} clock. */
    @FunctionalInterface
    interface Action {
        void fire(long index, long intendedNanos) throws InterruptedException;
    }

    /** What was offered: issued operations, and those given up on because the generator fell too far behind. */
    record Offered(long issued, long skipped, double seconds) {}

    private OpenLoop() {}

    /** Runs for {@code duration} at {@code ratePerSecond} from {@code threads} pacing threads. */
    static Offered run(double ratePerSecond, Duration duration, int threads, Action action)
            throws InterruptedException {
        long total = Math.max(1, Math.round(ratePerSecond * duration.toNanos() / 1e9));
        double interval = 1e9 / ratePerSecond;
        long start = System.nanoTime() + 1_000_000;
        long giveUpAt = start + duration.toNanos() + GIVE_UP.toNanos();
        AtomicLong issued = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        List<Thread> pacers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            pacers.add(Thread.ofPlatform().name("pacer-" + t).daemon().start(() -> {
                for (long i = first; i < total; i += threads) {
                    long due = start + (long) (i * interval);
                    long now;
                    while ((now = System.nanoTime()) < due) {
                        LockSupport.parkNanos(due - now);
                    }
                    if (now > giveUpAt) {
                        skipped.addAndGet((total - i + threads - 1) / threads);
                        return;
                    }
                    try {
                        action.fire(i, due);
                        issued.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        skipped.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread pacer : pacers) {
            pacer.join();
        }
        return new Offered(issued.get(), skipped.get(), (System.nanoTime() - start) / 1e9);
    }
}
