package io.sluice.gateway.protocol;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one connection's tasks one at a time, in the order submitted, on a shared executor. Requests start
 * in the order they arrived (so one sender's messages reach an asynchronous backend in order) without
 * holding a Jetty thread while a synchronous route does its I/O.
 */
final class SerialExecutor implements Executor {
    private final Executor delegate;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() == 0) {
            delegate.execute(this::drain);
        }
    }

    private void drain() {
        do {
            tasks.poll().run();
        } while (pending.decrementAndGet() != 0);
    }
}
