package io.sluice.bench;

import io.sluice.client.ClientOptions;
import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Scenario 4: as many authenticated idle connections as the machine allows. Client source addresses are
 * spread over 127.0.1.0/24 (one Jetty client per address, at most {@link #PER_ADDRESS} connections each), so
 * neither one address's ephemeral ports nor the gateway's per-IP connection limit is what stops it. Heap per connection is the growth of the gateway's live heap
 * (after full collections) divided by the connections held.
 */
final class ConnectionBench {
    /** The gateway's default sluice.limits.connections-per-ip: each source address stays within it. */
    static final int PER_ADDRESS = 1_000;
    /** Descriptors kept back for each process's own files, sockets and the like. */
    static final int FD_RESERVE = 500;

    private static final int IN_FLIGHT = 128;
    private static final int DEVICES_PER_USER = 4;
    private static final int MAX_FAILURES = 50;
    private static final Duration TIME_LIMIT = Duration.ofMinutes(10);

    private ConnectionBench() {}

    /** What was held, what it cost, and what stopped it. */
    record Result(
            int asked,
            int target,
            int held,
            long failed,
            String stoppedBy,
            double openSeconds,
            long heapBeforeBytes,
            long heapAfterBytes,
            long rssBeforeBytes,
            long rssAfterBytes,
            long loadgenHeapPerConnection,
            int sourceAddresses,
            long gatewayFdLimit,
            long loadgenFdLimit,
            String firstFailure)
            implements HeldConnections {}

    /** Connections held by one gateway, and what they cost it: the per-connection figures of both scenarios. */
    interface HeldConnections {
        int held();

        long heapBeforeBytes();

        long heapAfterBytes();

        long rssBeforeBytes();

        long rssAfterBytes();

        default long heapPerConnection() {
            return held() == 0 ? 0 : (heapAfterBytes() - heapBeforeBytes()) / held();
        }

        default long rssPerConnection() {
            return held() == 0 ? 0 : (rssAfterBytes() - rssBeforeBytes()) / held();
        }
    }

    static Result run(URI uri, ProcessProbe gateway, int asked) throws Exception {
        ProcessProbe self = ProcessProbe.self();
        long gatewayFds = gateway.openFileLimit();
        long selfFds = self.openFileLimit();
        long byFds = Math.min(gatewayFds, selfFds) - FD_RESERVE;
        int target = (int) Math.min(asked, byFds);
        String limit = target < asked
                ? "the open-file limit (RLIMIT_NOFILE " + Math.min(gatewayFds, selfFds) + ", one descriptor per "
                        + "connection in each process; the hard limit cannot be raised here)"
                : null;

        long heapBefore = gateway.liveHeapBytes();
        long rssBefore = gateway.rssBytes();
        long selfHeapBefore = self.liveHeapBytes();
        int addresses = (target + PER_ADDRESS - 1) / PER_ADDRESS;
        List<WebSocketClient> clients = new ArrayList<>();
        Queue<SluiceClient> held = new ConcurrentLinkedQueue<>();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        ClientOptions base = ClientOptions.defaults().withRequestTimeout(Duration.ofSeconds(60));
        long start = System.nanoTime();
        long deadline = start + TIME_LIMIT.toNanos();
        String stoppedBy = null;
        try {
            for (int a = 0; a < addresses; a++) {
                // 127.0.1.x: away from 127.0.0.1, which the other scenarios and other processes use.
                clients.add(SluiceClient.newWebSocketClient(base.withBindAddress(
                        new InetSocketAddress("127.0." + (1 + a / 254) + "." + (1 + a % 254), 0))));
            }
            Identity identity = null;
            for (int i = 0; i < target; i++) {
                if (failed.get() >= MAX_FAILURES) {
                    stoppedBy = MAX_FAILURES + " failed connections (first: " + firstFailure.get() + ")";
                    break;
                }
                if (System.nanoTime() > deadline) {
                    stoppedBy = "the time limit of " + TIME_LIMIT.toMinutes() + " min";
                    break;
                }
                inFlight.acquire();
                // Every connection its own Address: users of DEVICES_PER_USER devices each.
                if (i % DEVICES_PER_USER == 0) {
                    identity = Identity.generate();
                }
                Identity user = identity;
                int device = i % DEVICES_PER_USER + 1;
                SluiceClient.connect(clients.get(i % addresses), uri, base)
                        .thenCompose(client -> client.login(user, device).thenApply(ok -> client))
                        .whenComplete((client, failure) -> {
                            inFlight.release();
                            if (failure == null) {
                                held.add(client);
                            } else {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, String.valueOf(failure));
                            }
                        });
                if (i > 0 && i % 5_000 == 0) {
                    System.out.printf(
                            "connections: %,d open (%,.0f/s)%n",
                            held.size(), held.size() / ((System.nanoTime() - start) / 1e9));
                }
            }
            inFlight.acquire(IN_FLIGHT);
            inFlight.release(IN_FLIGHT);
            double openSeconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(2_000);
            int holding = (int) held.stream().filter(SluiceClient::isOpen).count();
            long heapAfter = gateway.liveHeapBytes();
            long rssAfter = gateway.rssBytes();
            long selfHeapAfter = self.liveHeapBytes();
            if (stoppedBy == null) {
                stoppedBy = limit != null ? limit : "nothing: the number asked for was reached";
            }
            System.out.printf(
                    "connections: %,d held, %,d failed, %.1f s to open; stopped by %s%n",
                    holding, failed.get(), openSeconds, stoppedBy);
            return new Result(
                    asked,
                    target,
                    holding,
                    failed.get(),
                    stoppedBy,
                    openSeconds,
                    heapBefore,
                    heapAfter,
                    rssBefore,
                    rssAfter,
                    holding == 0 ? 0 : (selfHeapAfter - selfHeapBefore) / holding,
                    addresses,
                    gatewayFds,
                    selfFds,
                    firstFailure.get());
        } finally {
            held.forEach(SluiceClient::close);
            Thread.sleep(1_000);
            for (WebSocketClient client : clients) {
                client.stop();
            }
            inFlight.tryAcquire(IN_FLIGHT, 10, TimeUnit.SECONDS);
        }
    }
}
