package io.sluice.gateway.protocol;

import io.sluice.spi.Address;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.QueuedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes one Address's queued messages down one authenticated connection, in queue order, with at most a
 * window of them awaiting acks. It subscribes to the queue, so a message queued by any process wakes it; it
 * reads from the queue rather than being handed messages, so a new connection gets everything not yet acked.
 *
 * <p>Wake-ups are coalesced: at most one drain runs at a time, and a wake-up during a drain makes it go round
 * once more.
 */
final class Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    private static final long RETRY_MILLIS = 1000;

    private final Address address;
    private final MessageQueue queue;
    private final Transport transport;
    private final IntSupplier nextSequence;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final int window;
    private final String connectionId;
    private final ConnectionObserver observer;
    private final Map<Integer, Long> awaitingAck = new ConcurrentHashMap<>();
    private final AtomicInteger wakeups = new AtomicInteger();
    private volatile boolean stopped;
    private long lastSentId;
    private MessageQueue.Subscription subscription;

    Delivery(
            Address address,
            MessageQueue queue,
            Transport transport,
            IntSupplier nextSequence,
            Executor executor,
            ScheduledExecutorService scheduler,
            int window,
            String connectionId,
            ConnectionObserver observer) {
        this.address = address;
        this.queue = queue;
        this.transport = transport;
        this.nextSequence = nextSequence;
        this.executor = executor;
        this.scheduler = scheduler;
        this.window = window;
        this.connectionId = connectionId;
        this.observer = observer;
    }

    void start() {
        subscription = queue.subscribe(address, this::wake);
        wake();
    }

    void stop() {
        stopped = true;
        if (subscription != null) {
            subscription.close();
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
        boolean wasFull = awaitingAck.size() + 1 >= window;
        try {
            queue.acknowledge(address, id);
        } catch (RuntimeException e) {
            // Still queued: it is sent again on the next connection, which the protocol allows.
            LOG.warn("event=delivery.ack.failed conn={} error={}", connectionId, Failures.describe(e));
        }
        if (wasFull) {
            wake();
        }
        return true;
    }

    private void wake() {
        if (!stopped && wakeups.getAndIncrement() == 0) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        int seen = wakeups.get();
        while (true) {
            try {
                fill();
            } catch (RuntimeException e) {
                LOG.warn(
                        "event=delivery.read.failed conn={} retry_ms={} error={}",
                        connectionId,
                        RETRY_MILLIS,
                        Failures.describe(e));
                scheduler.schedule(this::wake, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
            int left = wakeups.addAndGet(-seen);
            if (left == 0) {
                return;
            }
            seen = left;
        }
    }

    private void fill() {
        while (!stopped) {
            int room = window - awaitingAck.size();
            if (room <= 0) {
                return;
            }
            List<QueuedMessage> batch = queue.read(address, lastSentId, room);
            Instant now = Instant.now();
            for (QueuedMessage message : batch) {
                if (message.queuedAt() != null) {
                    observer.delivered(Duration.between(message.queuedAt(), now));
                }
                int seq = nextSequence.getAsInt();
                awaitingAck.put(seq, message.id());
                lastSentId = message.id();
                transport.send(FrameCodec.inbound(seq, message.body()));
            }
            if (batch.size() < room) {
                return;
            }
        }
    }
}
