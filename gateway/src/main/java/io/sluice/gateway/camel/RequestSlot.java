package io.sluice.gateway.camel;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where requests of one type find their route: the consumer of the one route that consumes the endpoint now,
 * and the requests waiting for one. It belongs to the component, not to an endpoint object, because Camel
 * drops and recreates endpoints when routes are removed and added; the slot lives as long as the gateway.
 *
 * <p>A route swap (hot reload) stops the old route before the new one starts. Requests that arrive in
 * between wait for the new consumer, up to their deadline, instead of failing; requests already handed to the
 * old route finish there before it stops. None is lost or run twice.
 */
final class RequestSlot {
    private static final Logger LOG = LoggerFactory.getLogger(RequestSlot.class);
    /** How long a stopping route waits for the requests it took to finish (Camel's own default is 45 s). */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** Runs the requests that waited for a route to start, each on its own virtual thread. */
    private static final Executor WAITERS =
            task -> Thread.ofVirtual().name("sluice-request").start(task);

    private final SluiceOperation operation;
    private final Object lock = new Object();
    private RequestConsumer current; // guarded by lock
    private CompletableFuture<RequestConsumer> next = new CompletableFuture<>(); // guarded by lock

    RequestSlot(SluiceOperation operation) {
        this.operation = operation;
    }

    /**
     * Runs one request through the consuming route and reads the finished exchange (failed or not) with
     * {@code read}. When no route consumes the endpoint (a swap is under way) the request waits for the next
     * one, and runs on it unless {@code expired} says by then that its deadline (which its caller owns) has passed.
     */
    <T> CompletableFuture<T> request(
            Consumer<Message> prepare, Function<Exchange, T> read, java.util.function.BooleanSupplier expired) {
        while (true) {
            RequestConsumer consumer;
            CompletableFuture<RequestConsumer> waiting;
            synchronized (lock) {
                consumer = current;
                waiting = next;
            }
            if (consumer == null) {
                // Off the thread that starts the new route: it must not run the requests that waited for it.
                return waiting.copy()
                        .thenComposeAsync(
                                started -> expired.getAsBoolean()
                                        ? CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException(
                                                "no route took the request before its deadline"))
                                        : request(prepare, read, expired),
                                WAITERS);
            }
            CompletableFuture<T> done = consumer.dispatch(prepare, read);
            if (done != null) {
                return done;
            }
            // That consumer began stopping after we read it; it has already stepped down, so look again.
        }
    }

    /** A consumer for a route consuming the endpoint. */
    DefaultConsumer newConsumer(SluiceEndpoint endpoint, Processor processor) {
        return new RequestConsumer(endpoint, processor);
    }

    /** The consumer of one route: takes requests while it runs, and lets those it took finish when it stops. */
    private final class RequestConsumer extends DefaultConsumer {
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile boolean closing;

        RequestConsumer(SluiceEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        /** Starts the exchange on this route; null when this consumer is stopping. */
        <T> CompletableFuture<T> dispatch(Consumer<Message> prepare, Function<Exchange, T> read) {
            inFlight.incrementAndGet();
            if (closing) {
                finished();
                return null;
            }
            CompletableFuture<T> done = new CompletableFuture<>();
            Exchange exchange;
            try {
                exchange = createExchange(false);
                exchange.setPattern(ExchangePattern.InOut);
                prepare.accept(exchange.getIn());
            } catch (RuntimeException e) {
                finished();
                return CompletableFuture.failedFuture(e);
            }
            getAsyncProcessor().process(exchange, doneSync -> {
                finished();
                try {
                    done.complete(read.apply(exchange));
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                } finally {
                    releaseExchange(exchange, false);
                }
            });
            return done;
        }

        private void finished() {
            if (inFlight.decrementAndGet() == 0 && closing) {
                synchronized (this) {
                    notifyAll();
                }
            }
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            closing = false;
            CompletableFuture<RequestConsumer> waiting;
            synchronized (lock) {
                if (current != null && current != this) {
                    throw new IllegalStateException(operation + " is consumed by two routes: " + current.getRouteId()
                            + " and " + getRouteId() + " (expected: one)");
                }
                current = this;
                waiting = next;
                next = new CompletableFuture<>();
            }
            waiting.complete(this);
        }

        @Override
        protected void doStop() throws Exception {
            synchronized (lock) {
                if (current == this) {
                    current = null; // from now on requests wait for the next consumer
                }
            }
            // Every request that saw closing == false has already counted itself in inFlight (both are
            // sequentially consistent), so once inFlight is 0 no request can still enter this route.
            closing = true;
            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            synchronized (this) {
                while (inFlight.get() > 0) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        LOG.atWarn()
                                .addKeyValue("event", "route.drain.timeout")
                                .addKeyValue("endpoint", operation)
                                .addKeyValue("route", getRouteId())
                                .addKeyValue("in_flight", inFlight.get())
                                .log();
                        break;
                    }
                    wait(left);
                }
            }
            super.doStop();
        }
    }
}
