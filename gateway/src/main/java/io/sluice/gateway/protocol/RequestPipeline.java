package io.sluice.gateway.protocol;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The requests of one connection between their frame and their answer. It owns, for each of them:
 *
 * <ul>
 *   <li><b>order</b>: requests start one after another in arrival order, off the reading thread, so that a route
 *       that does its I/O synchronously holds up only its own connection; a request marked as a barrier (a login)
 *       lets the next one start only once it has completed;
 *   <li><b>one deadline</b>, set at arrival and checked by the {@link Deadlines} sweep: a request not answered by
 *       then is answered as timed out, even one still waiting to start;
 *   <li><b>one answer</b>: whichever of its completion and its deadline comes first; the other is dropped;
 *   <li><b>the in-flight count</b>, and with it <b>read back-pressure</b>: once {@code maxInFlight} requests are in
 *       progress the reader is told to stop, and {@code resumeReading} runs when one is answered;
 *   <li><b>draining</b> for a graceful shutdown: new requests are refused, and {@link #drain()} completes when
 *       those in progress are answered.
 * </ul>
 *
 * Answers go to the {@link Responder} as soon as each request completes, whatever the order.
 */
final class RequestPipeline implements Deadlines.Expiring {

    /** Where each request's one answer goes. */
    interface Responder {
        /** The request completed: {@code reply} sends its answer. */
        void succeeded(Entry entry, Runnable reply);

        /** The request failed, or its deadline passed ({@link TimeoutException}). */
        void failed(Entry entry, Throwable failure);

        /** The request was answered late, after its deadline had already answered it. */
        default void late(Entry entry) {}
    }

    /** One request in progress. */
    static final class Entry {
        final int sequence;
        final FrameType type;
        final long arrivedNanos;
        final long deadlineNanos;
        private final AtomicBoolean answered = new AtomicBoolean();
        /** Runs once the request is answered, whichever way: set for a barrier, to let the next request start. */
        private volatile Runnable afterAnswer;

        Entry(int sequence, FrameType type, long arrivedNanos, long deadlineNanos) {
            this.sequence = sequence;
            this.type = type;
            this.arrivedNanos = arrivedNanos;
            this.deadlineNanos = deadlineNanos;
        }

        boolean isAnswered() {
            return answered.get();
        }
    }

    private record Task(Entry entry, Supplier<CompletionStage<Runnable>> work, boolean barrier) {}

    private final Executor executor;
    private final Deadlines deadlines;
    private final int maxInFlight;
    private final Runnable resumeReading;
    private final Responder responder;
    private final ArrayDeque<Entry> byDeadline = new ArrayDeque<>(); // guarded by itself
    private final ConcurrentLinkedQueue<Task> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger scheduled = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean draining;

    RequestPipeline(
            Executor executor, Deadlines deadlines, int maxInFlight, Runnable resumeReading, Responder responder) {
        this.executor = executor;
        this.deadlines = deadlines;
        this.maxInFlight = maxInFlight;
        this.resumeReading = resumeReading;
        this.responder = responder;
    }

    /**
     * Takes a request that arrived at {@code arrivedNanos}, unless the pipeline is draining.
     *
     * @return the request's entry, or null when draining (the caller refuses it)
     */
    Entry admit(int sequence, FrameType type, long arrivedNanos) {
        // Counted before draining is read, so that drain() either waits for this request or it is refused.
        inFlight.incrementAndGet();
        if (draining) {
            release();
            return null;
        }
        Entry entry = new Entry(sequence, type, arrivedNanos, deadlines.deadline(arrivedNanos));
        synchronized (byDeadline) {
            byDeadline.add(entry);
        }
        deadlines.watch(this);
        return entry;
    }

    /**
     * Starts an admitted request's work once the requests before it have started (and a barrier before it has
     * completed). {@code work} returns what sends the answer, or fails.
     */
    void start(Entry entry, Supplier<CompletionStage<Runnable>> work, boolean barrier) {
        waiting.add(new Task(entry, work, barrier));
        if (scheduled.getAndIncrement() == 0) {
            executor.execute(this::runWaiting);
        }
    }

    /** Runs waiting tasks in order until none is left or a barrier is still in progress. */
    private void runWaiting() {
        do {
            Task task = waiting.poll();
            if (task.barrier) {
                AtomicBoolean once = new AtomicBoolean();
                task.entry.afterAnswer = () -> {
                    if (once.compareAndSet(false, true)) {
                        executor.execute(this::continueAfterBarrier);
                    }
                };
                run(task);
                if (!task.entry.isAnswered()) {
                    // The next request starts once this one is answered (by its completion or its deadline); its
                    // count stays taken meanwhile, so nothing else runs this loop.
                    return;
                }
                if (!once.compareAndSet(false, true)) {
                    return; // answered meanwhile, and the continuation is already on its way
                }
            } else {
                run(task);
            }
        } while (scheduled.decrementAndGet() != 0);
    }

    private void continueAfterBarrier() {
        if (scheduled.decrementAndGet() != 0) {
            runWaiting();
        }
    }

    private void run(Task task) {
        Entry entry = task.entry;
        if (entry.isAnswered()) {
            return; // timed out while it waited to start
        }
        CompletionStage<Runnable> stage;
        try {
            stage = task.work.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((reply, failure) -> {
            if (failure != null) {
                fail(entry, failure);
            } else {
                succeed(entry, reply);
            }
        });
    }

    /** Answers the request with its success, unless it was answered already. */
    void succeed(Entry entry, Runnable reply) {
        if (entry.answered.compareAndSet(false, true)) {
            responder.succeeded(entry, reply);
            answered(entry);
        } else {
            responder.late(entry);
        }
    }

    /** Answers the request with its failure, unless it was answered already. */
    void fail(Entry entry, Throwable failure) {
        if (entry.answered.compareAndSet(false, true)) {
            responder.failed(entry, failure);
            answered(entry);
        }
    }

    private void answered(Entry entry) {
        Runnable after = entry.afterAnswer;
        if (after != null) {
            after.run();
        }
        synchronized (byDeadline) {
            while (!byDeadline.isEmpty() && byDeadline.peek().isAnswered()) {
                byDeadline.poll();
            }
        }
        release();
    }

    private void release() {
        int left = inFlight.decrementAndGet();
        if (left < maxInFlight && paused.compareAndSet(true, false)) {
            resumeReading.run();
        }
        if (left == 0 && draining) {
            drained.complete(null);
        }
    }

    /**
     * Whether the reader may read the next frame now. When this answers false, {@code resumeReading} runs once
     * the reader may go on.
     */
    boolean mayRead() {
        if (inFlight.get() < maxInFlight) {
            return true;
        }
        paused.set(true);
        // An answer may have come between the check and the flag: it would not have resumed us.
        return inFlight.get() < maxInFlight && paused.compareAndSet(true, false);
    }

    @Override
    public boolean expire(long nowNanos) {
        while (true) {
            Entry due;
            synchronized (byDeadline) {
                Entry head = byDeadline.peek();
                while (head != null && head.isAnswered()) {
                    byDeadline.poll();
                    head = byDeadline.peek();
                }
                if (head == null) {
                    return false;
                }
                if (head.deadlineNanos - nowNanos > 0) {
                    return true;
                }
                due = head;
            }
            fail(
                    due,
                    new TimeoutException(
                            "no answer within " + deadlines.timeout().toMillis() + " ms"));
        }
    }

    /**
     * Stops taking requests: from now on {@link #admit} refuses them.
     *
     * @return completes once every request in progress has been answered
     */
    CompletionStage<Void> drain() {
        draining = true;
        if (inFlight.get() == 0) {
            drained.complete(null);
        }
        return drained;
    }

    /** How many requests are in progress. */
    int inFlight() {
        return inFlight.get();
    }
}
