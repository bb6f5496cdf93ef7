package io.sluice.gateway.protocol;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The one deadline of every request: set when the request arrives, {@code sluice.request-timeout} later, and
 * checked by one periodic sweep rather than a timer per request. Because every request gets the same timeout,
 * requests that arrived in order expire in order, so each holder of requests ({@link RequestPipeline}, and the
 * FIFO of {@link #bound} calls) only ever looks at its oldest.
 *
 * <pre>{@code
 * Deadlines deadlines = Deadlines.start(scheduler, Duration.ofSeconds(10));
 * CompletableFuture<Integer> count = deadlines.bound(backend.preKeyCount(caller, address));
 * }</pre>
 */
public final class Deadlines implements AutoCloseable {

    /** Something holding requests with deadlines, swept while it has any. */
    interface Expiring {
        /**
         * Fails the requests whose deadline is at or before {@code nowNanos}.
         *
         * @return whether it still holds requests, so that the sweep keeps looking at it
         */
        boolean expire(long nowNanos);
    }

    private final Duration timeout;
    private final long timeoutNanos;
    private final LongSupplier clock;
    private final Set<Expiring> watched = ConcurrentHashMap.newKeySet();
    private final Queue<Bound<?>> loose = new ArrayDeque<>(); // guarded by itself
    private final Expiring looseSweep = this::expireLoose;
    private ScheduledFuture<?> sweep;

    Deadlines(Duration timeout, LongSupplier clock) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.clock = clock;
    }

    /** Deadlines of {@code timeout}, swept on {@code scheduler} about twenty times per timeout. */
    public static Deadlines start(ScheduledExecutorService scheduler, Duration timeout) {
        Deadlines deadlines = new Deadlines(timeout, System::nanoTime);
        long tick = Math.clamp(timeout.toMillis() / 20, 10, 250);
        deadlines.sweep = scheduler.scheduleWithFixedDelay(deadlines::sweep, tick, tick, TimeUnit.MILLISECONDS);
        return deadlines;
    }

    /** Deadlines swept only by explicit calls of {@link #sweep()}: for tests, with their own clock. */
    static Deadlines manual(Duration timeout, LongSupplier clock) {
        return new Deadlines(timeout, clock);
    }

    /** The timeout every request gets. */
    public Duration timeout() {
        return timeout;
    }

    /** Now, on the clock deadlines are measured with. */
    long now() {
        return clock.getAsLong();
    }

    /** The deadline of a request arriving at {@code arrivedNanos}. */
    long deadline(long arrivedNanos) {
        return arrivedNanos + timeoutNanos;
    }

    /** Sweeps {@code holder} until it reports it holds nothing; calling it again while watched is harmless. */
    void watch(Expiring holder) {
        watched.add(holder);
    }

    /**
     * A call made outside a connection's pipeline (the gateway's own checks, tools and tests), bounded by the
     * same timeout from now: the stage fails with a {@link TimeoutException} once it has passed.
     */
    public <T> CompletableFuture<T> bound(CompletionStage<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        call.whenComplete((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        });
        if (!result.isDone()) {
            synchronized (loose) {
                loose.add(new Bound<>(result, deadline(clock.getAsLong())));
            }
            watch(looseSweep);
        }
        return result;
    }

    private boolean expireLoose(long now) {
        synchronized (loose) {
            for (Bound<?> head; (head = loose.peek()) != null; loose.poll()) {
                if (!head.result.isDone()) {
                    if (head.deadline - now > 0) {
                        return true;
                    }
                    head.result.completeExceptionally(
                            new TimeoutException("no answer within " + timeout.toMillis() + " ms"));
                }
            }
            return false;
        }
    }

    /** One pass: expires what is due everywhere. */
    void sweep() {
        long now = clock.getAsLong();
        for (Expiring holder : watched) {
            if (!holder.expire(now)) {
                watched.remove(holder);
                // It may have taken a request since it answered: look once more, keeping it if so.
                if (holder.expire(now)) {
                    watched.add(holder);
                }
            }
        }
    }

    @Override
    public void close() {
        if (sweep != null) {
            sweep.cancel(false);
        }
    }

    private record Bound<T>(CompletableFuture<T> result, long deadline) {}
}
