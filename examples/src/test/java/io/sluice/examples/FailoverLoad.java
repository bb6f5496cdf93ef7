package io.sluice.examples;

import static org.awaitility.Awaitility.await;

import io.sluice.client.Backoff;
import io.sluice.client.ClientOptions;
import io.sluice.client.ConnectionState;
import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.client.SluiceError;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load for failover tests: sender/recipient pairs of reconnecting clients, all through one endpoint. Each sender
 * sends its pair's messages one after the other (the next once the previous one is acked, so acceptance order is
 * the send order), each recipient acks every message it gets. It counts what was acked to the senders, what the
 * recipients got, and how long the pairs were cut off by a failure.
 */
final class FailoverLoad implements AutoCloseable {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final List<Pair> pairs = new ArrayList<>();
    private final List<SluiceClient> clients = new ArrayList<>();
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private final List<Thread> senders = new ArrayList<>();
    private final AtomicLong sendFailures = new AtomicLong();
    // What the failed sends failed with: the protocol's error name, or the exception's class.
    private final Map<String, AtomicLong> failureKinds = new ConcurrentHashMap<>();
    // Per client: the last time it turned OPEN (nanoTime), and how often it was lost.
    private final Map<SluiceClient, AtomicLong> lastOpen = new ConcurrentHashMap<>();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile long stoppedSendingAt;

    /** What one pair sent and got. Delivery bookkeeping is guarded by the pair itself. */
    private static final class Pair {
        final int index;
        final Identity recipient = Identity.generate();
        final Set<Integer> acked = ConcurrentHashMap.newKeySet();
        final Map<Integer, Integer> deliveries = new HashMap<>();
        int highestFirstDelivery = -1;
        int outOfOrder;
        // nanoTime of each message's first delivery.
        final Map<Integer, Long> firstDeliveredAt = new HashMap<>();

        Pair(int index) {
            this.index = index;
        }

        synchronized void delivered(int n) {
            int times = deliveries.merge(n, 1, Integer::sum);
            if (times == 1) {
                firstDeliveredAt.put(n, System.nanoTime());
                if (n < highestFirstDelivery) {
                    outOfOrder++;
                }
                highestFirstDelivery = Math.max(highestFirstDelivery, n);
            }
        }

        synchronized boolean allAckedDelivered() {
            return deliveries.keySet().containsAll(acked);
        }
    }

    /** The figures of one run. */
    record Report(
            long acked,
            long delivered,
            long lost,
            long duplicates,
            long outOfOrder,
            long sendFailures,
            Map<String, Long> failureKinds,
            long reconnects,
            Duration longestCutOff,
            Duration allOpenAgain) {
        @Override
        public String toString() {
            return "acked=" + acked + " delivered=" + delivered + " lost=" + lost + " duplicates=" + duplicates
                    + " out-of-order=" + outOfOrder + " send-failures=" + sendFailures + failureKinds + " reconnects="
                    + reconnects
                    + " time-to-recover=" + longestCutOff.toMillis()
                    + "ms (longest gap of a pair without a new delivery) every-client-open-again="
                    + allOpenAgain.toMillis() + "ms";
        }
    }

    /** Connects {@code pairs} recipients (logged in) and senders (anonymous) through {@code uri}, and starts sending. */
    static FailoverLoad start(URI uri, int pairs) throws Exception {
        FailoverLoad load = new FailoverLoad();
        try {
            load.connect(uri, pairs);
        } catch (Exception | Error e) {
            load.close();
            throw e;
        }
        return load;
    }

    private SluiceClient client(URI uri) throws Exception {
        ClientOptions options = ClientOptions.builder()
                .endpoints(uri)
                .reconnect(Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(1)))
                .requestTimeout(REQUEST_TIMEOUT)
                .build();
        SluiceClient client = SluiceClient.connect(options).get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        clients.add(client);
        AtomicLong opened = new AtomicLong(System.nanoTime());
        lastOpen.put(client, opened);
        client.onStateChange(state -> {
            if (state == ConnectionState.OPEN) {
                opened.set(System.nanoTime());
            } else if (state == ConnectionState.RECONNECTING) {
                reconnects.incrementAndGet();
            }
        });
        return client;
    }

    private void connect(URI uri, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            Pair pair = new Pair(i);
            pairs.add(pair);
            SluiceClient recipient = client(uri);
            recipient.login(pair.recipient, 1).get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            recipient.onInbound(message -> received(pair, message));
        }
        for (Pair pair : pairs) {
            SluiceClient sender = client(uri);
            Thread thread = Thread.ofPlatform().name("sender-" + pair.index).start(() -> send(pair, sender));
            senders.add(thread);
        }
    }

    private static void received(Pair pair, Inbound message) {
        String body = new String(message.body(), StandardCharsets.UTF_8);
        pair.delivered(Integer.parseInt(body.substring(body.indexOf('-') + 1)));
        // False when its connection was lost meanwhile: the gateway delivers it again on the next one.
        message.ack();
    }

    private void send(Pair pair, SluiceClient sender) {
        for (int n = 0; sending.get(); n++) {
            byte[] body = ("p" + pair.index + "-" + n).getBytes(StandardCharsets.UTF_8);
            try {
                sender.send(pair.recipient.userId(), 1, body).get(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
                pair.acked.add(n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                sendFailures.incrementAndGet();
                Throwable cause =
                        e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                String kind = cause instanceof SluiceError error
                        ? error.name()
                        : cause.getClass().getSimpleName();
                failureKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    /** Messages acked so far, per pair. */
    long[] ackedPerPair() {
        return pairs.stream().mapToLong(p -> p.acked.size()).toArray();
    }

    /** Messages acked so far, over every pair. */
    long acked() {
        return pairs.stream().mapToLong(p -> p.acked.size()).sum();
    }

    /** Stops the senders and waits until each has its last send answered. */
    void stopSending() throws InterruptedException {
        stoppedSendingAt = System.nanoTime();
        sending.set(false);
        for (Thread sender : senders) {
            sender.join(REQUEST_TIMEOUT.plusSeconds(10).toMillis());
        }
    }

    /** Waits (at most {@code timeout}) until every acked message was delivered; returns whether it was. */
    boolean awaitAllAckedDelivered(Duration timeout) {
        try {
            await().atMost(timeout).until(() -> pairs.stream().allMatch(Pair::allAckedDelivered));
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    /** The figures, with the times to recover counted from {@code failureNanos} (a System.nanoTime()). */
    Report report(long failureNanos) {
        long acked = 0;
        long delivered = 0;
        long lost = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long longestCutOff = 0;
        for (Pair pair : pairs) {
            synchronized (pair) {
                acked += pair.acked.size();
                delivered += pair.deliveries.size();
                lost += pair.acked.stream()
                        .filter(n -> !pair.deliveries.containsKey(n))
                        .count();
                duplicates += pair.deliveries.values().stream()
                        .mapToLong(times -> times - 1)
                        .sum();
                outOfOrder += pair.outOfOrder;
                // The pair's cut-off: the longest time without a new message delivered, from the last one before the
                // failure to the first one after it, between two after it, or from the last one to the end of the
                // load (under load, normally milliseconds).
                long end = stoppedSendingAt != 0 ? stoppedSendingAt : System.nanoTime();
                long[] times = java.util.stream.LongStream.concat(
                                pair.firstDeliveredAt.values().stream()
                                        .mapToLong(Long::longValue)
                                        .filter(at -> at <= end),
                                java.util.stream.LongStream.of(end))
                        .sorted()
                        .toArray();
                for (int i = 1; i < times.length; i++) {
                    if (times[i] > failureNanos) {
                        longestCutOff = Math.max(longestCutOff, times[i] - times[i - 1]);
                    }
                }
            }
        }
        long allOpen = lastOpen.values().stream()
                .mapToLong(AtomicLong::get)
                .filter(at -> at > failureNanos)
                .map(at -> at - failureNanos)
                .max()
                .orElse(0);
        return new Report(
                acked,
                delivered,
                lost,
                duplicates,
                outOfOrder,
                sendFailures.get(),
                failureKinds.entrySet().stream()
                        .collect(java.util.stream.Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().get())),
                reconnects.get(),
                Duration.ofNanos(longestCutOff),
                Duration.ofNanos(allOpen));
    }

    @Override
    public void close() throws InterruptedException {
        sending.set(false);
        clients.forEach(SluiceClient::close);
        for (Thread sender : senders) {
            sender.join(5_000);
        }
    }
}
