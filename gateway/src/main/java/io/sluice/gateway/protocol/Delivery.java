package io.sluice.gateway.protocol;

import io.sluice.spi.Address;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.QueuedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes one Address's queued messages down one authenticated connection, in queue order, with at most a window of
 * them awaiting acks. It subscribes to the queue, so a message queued by any process wakes it, and a new connection
 * reads everything not yet acked.
 *
 * <p>Two ways in, one cursor ({@code lastSentId}): it reads the queue after the last id it sent while it may be
 * behind (at the start, after a wake-up, after the window filled); once a read came back short it is caught up,
 * and from then on messages the queue hands over as it makes them durable ({@link MessageQueue.Listener#queued})
 * are sent as they come, without reading them back. A message handed over while it is behind is dropped: the next
 * read finds it.
 *
 * <p>All its work runs in {@link #drain()}, one drain at a time on a shared executor: a wake-up during a drain makes
 * it go round once more, and no thread is started per wake-up. The frames of one round go out as one burst.
 */
final class Delivery implements MessageQueue.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    private static final long RETRY_MILLIS = 1000;

    private final Address address;
    private final MessageQueue queue;
    private final Outbox out;
    private final IntSupplier nextSequence;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final int window;
    private final String connectionId;
    private final ConnectionObserver observer;
    private final Runnable onPreKeysClaimed;
    private final Map<Integer, Long> awaitingAck = new ConcurrentHashMap<>();
    private final Queue<QueuedMessage> handed = new ConcurrentLinkedQueue<>();
    private final AtomicInteger work = new AtomicInteger();
    private volatile boolean stopped;
    private volatile boolean wakeRequested = true;
    private volatile Read completedRead;
    private volatile MessageQueue.Subscription subscription;
    // Touched only inside drain(), which runs one at a time.
    private long lastSentId;
    private boolean behind = true;
    private boolean reading;
    private boolean unflushed;
    private long noReadBefore = Long.MIN_VALUE;

    private record Read(List<QueuedMessage> messages, Throwable failure, int asked) {}

    Delivery(
            Address address,
            MessageQueue queue,
            Outbox out,
            IntSupplier nextSequence,
            Executor executor,
            ScheduledExecutorService scheduler,
            int window,
            String connectionId,
            ConnectionObserver observer,
            Runnable onPreKeysClaimed) {
        this.address = address;
        this.queue = queue;
        this.out = out;
        this.nextSequence = nextSequence;
        this.executor = executor;
        this.scheduler = scheduler;
        this.window = window;
        this.connectionId = connectionId;
        this.observer = observer;
        this.onPreKeysClaimed = onPreKeysClaimed;
    }

    /** Subscribes and sends what waits. Safe against a {@link #stop()} before, during or after it. */
    void start() {
        if (stopped) {
            return;
        }
        MessageQueue.Subscription subscribed = queue.subscribe(address, this);
        subscription = subscribed;
        if (stopped) {
            subscribed.close(); // stop() may not have seen it
            return;
        }
        schedule();
    }

    /** Stops delivering; acks of messages already sent are still taken. */
    void stop() {
        stopped = true;
        MessageQueue.Subscription subscribed = subscription;
        if (subscribed != null) {
            subscribed.close();
        }
        handed.clear();
    }

    @Override
    public void wake() {
        wakeRequested = true;
        schedule();
    }

    @Override
    public void queued(QueuedMessage message) {
        if (!stopped) {
            handed.add(message);
            schedule();
        }
    }

    @Override
    public void signalled(MessageQueue.Signal signal) {
        if (signal == MessageQueue.Signal.PREKEYS_CLAIMED && !stopped) {
            onPreKeysClaimed.run();
        }
    }

    /**
     * The client acked the inboundMessage it got with {@code sequence}: the message leaves the queue for good.
     *
     * @return false when no message awaits an ack under that sequence
     */
    boolean acknowledge(int sequence) {
        Long id = awaitingAck.remove(sequence);
        if (id == null) {
            return false;
        }
        queue.acknowledge(address, id).whenComplete((ok, failure) -> {
            if (failure != null) {
                // Still queued: it is sent again on the next connection, which the protocol allows.
                LOG.atWarn()
                        .addKeyValue("event", "delivery.ack.failed")
                        .addKeyValue("conn", connectionId)
                        .addKeyValue("error", Failures.describe(Failures.unwrap(failure)))
                        .log();
            }
        });
        if (awaitingAck.size() + 1 >= window) {
            // The window was full: a read may wait for this room. Otherwise there is nothing to do, and no drain
            // (a thread wake-up) is started for every ack.
            schedule();
        }
        return true;
    }

    private void schedule() {
        if (!stopped && work.getAndIncrement() == 0) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        int seen = work.get();
        while (true) {
            try {
                if (!stopped) {
                    step();
                }
            } catch (RuntimeException e) {
                LOG.atWarn()
                        .addKeyValue("event", "delivery.failed")
                        .addKeyValue("conn", connectionId)
                        .addKeyValue("error", Failures.describe(e))
                        .log();
                retryLater();
            }
            if (unflushed) {
                unflushed = false;
                out.flush();
            }
            int left = work.addAndGet(-seen);
            if (left == 0) {
                return;
            }
            seen = left;
        }
    }

    private void step() {
        Read read = completedRead;
        if (read != null) {
            completedRead = null;
            reading = false;
            applyRead(read);
        }
        if (reading) {
            return; // its completion schedules the next step
        }
        if (wakeRequested) {
            wakeRequested = false;
            behind = true;
        }
        if (behind) {
            int room = window - awaitingAck.size();
            if (noReadBefore != Long.MIN_VALUE && System.nanoTime() - noReadBefore < 0) {
                return; // a read failed: the retry wakes us
            }
            if (room > 0) {
                reading = true;
                queue.read(address, lastSentId, room).whenComplete((messages, failure) -> {
                    completedRead = new Read(messages, failure, room);
                    schedule();
                });
            } else {
                handed.clear(); // the read after the next ack finds them
            }
            return;
        }
        sendHanded();
    }

    private void applyRead(Read read) {
        if (read.failure != null) {
            LOG.atWarn()
                    .addKeyValue("event", "delivery.read.failed")
                    .addKeyValue("conn", connectionId)
                    .addKeyValue("retry_ms", RETRY_MILLIS)
                    .addKeyValue("error", Failures.describe(Failures.unwrap(read.failure)))
                    .log();
            retryLater();
            return;
        }
        Instant now = Instant.now();
        for (QueuedMessage message : read.messages) {
            if (message.id() > lastSentId) {
                send(message, now);
            }
        }
        // A short read saw everything queued so far: what is handed over from now on follows on.
        behind = read.messages.size() >= read.asked;
        if (behind) {
            handed.clear();
        } else {
            sendHanded();
        }
    }

    private void sendHanded() {
        Instant now = null;
        for (QueuedMessage message; (message = handed.peek()) != null; ) {
            if (message.id() <= lastSentId) {
                handed.poll(); // already read
            } else if (awaitingAck.size() < window) {
                handed.poll();
                send(message, now == null ? (now = Instant.now()) : now);
            } else {
                behind = true;
                handed.clear();
                return;
            }
        }
    }

    private void send(QueuedMessage message, Instant now) {
        if (message.queuedAt() != null) {
            observer.delivered(Duration.between(message.queuedAt(), now));
        }
        int seq = nextSequence.getAsInt();
        awaitingAck.put(seq, message.id());
        lastSentId = message.id();
        out.queue(FrameType.INBOUND_MESSAGE, FrameCodec.inbound(seq, message.body()));
        unflushed = true;
    }

    private void retryLater() {
        noReadBefore = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS);
        scheduler.schedule(this::wake, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }
}
