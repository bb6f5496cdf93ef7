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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * One load-generator process of {@link ClusterConnectionsScenario}, in its own JVM so that its sockets count
 * against its own open-file limit: opens and logs in {@code count} connections to one gateway, as
 * {@link ConnectionBench} does (fresh users of four devices, each source address of 127.0.1.0/24 up to
 * {@link ConnectionBench#PER_ADDRESS} connections; a failed connect or login is attempted again up to
 * {@link #RETRIES} times), prints {@code held <n> <failed> <seconds> <heap bytes per connection> <retries> <first failure>},
 * holds them until its standard input closes, then closes them and exits.
 *
 * <p>{@code java -cp sluice-bench.jar io.sluice.bench.ConnectionHolder <ws uri> <count> <first source address>}
 */
public final class ConnectionHolder {
    private static final int IN_FLIGHT = 64;
    private static final int DEVICES_PER_USER = 4;
    private static final int MAX_FAILURES = 50;
    /**
     * Attempts after a failed connect or login: a gateway the others' logins overload may answer unavailable,
     * and what is measured here is holding. Retries are printed.
     */
    private static final int RETRIES = 3;

    private final URI uri;
    private final ClientOptions options = ClientOptions.defaults().withRequestTimeout(Duration.ofSeconds(120));
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final Queue<SluiceClient> held = new ConcurrentLinkedQueue<>();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    private ConnectionHolder(URI uri) {
        this.uri = uri;
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int count = Integer.parseInt(args[1]);
        int firstAddress = Integer.parseInt(args[2]);
        new ConnectionHolder(uri).run(count, firstAddress);
        System.exit(0);
    }

    private void run(int count, int firstAddress) throws Exception {
        ProcessProbe self = ProcessProbe.self();
        long heapBefore = self.liveHeapBytes();
        int addresses = (count + ConnectionBench.PER_ADDRESS - 1) / ConnectionBench.PER_ADDRESS;
        List<WebSocketClient> clients = new ArrayList<>();
        for (int a = firstAddress; a < firstAddress + addresses; a++) {
            clients.add(SluiceClient.newWebSocketClient(
                    options.withBindAddress(new InetSocketAddress("127.0." + (1 + a / 254) + "." + (1 + a % 254), 0))));
        }
        long start = System.nanoTime();
        Identity identity = null;
        for (int i = 0; i < count && failed.get() < MAX_FAILURES; i++) {
            inFlight.acquire();
            if (i % DEVICES_PER_USER == 0) {
                identity = Identity.generate();
            }
            open(clients.get(i / ConnectionBench.PER_ADDRESS), identity, i % DEVICES_PER_USER + 1, RETRIES);
            if (i > 0 && i % 5_000 == 0) {
                System.out.printf("opened %,d%n", held.size());
            }
        }
        inFlight.acquire(IN_FLIGHT);
        double seconds = (System.nanoTime() - start) / 1e9;
        Thread.sleep(1_000);
        int holding = (int) held.stream().filter(SluiceClient::isOpen).count();
        long heapAfter = self.liveHeapBytes();
        System.out.printf(
                "held %d %d %.1f %d %d %s%n",
                holding,
                failed.get(),
                seconds,
                holding == 0 ? 0 : (heapAfter - heapBefore) / holding,
                retried.get(),
                firstFailure.get() == null ? "-" : firstFailure.get());
        System.out.flush();
        // Hold until the scenario is done measuring: it closes our standard input.
        while (System.in.read() >= 0) {
            // nothing to read: only the end matters
        }
        held.forEach(SluiceClient::close);
        Thread.sleep(500);
        for (WebSocketClient client : clients) {
            client.stop();
        }
    }

    /** One connection, logged in, attempted up to {@code tries} more times; releases its permit at the end. */
    private void open(WebSocketClient webSockets, Identity user, int device, int tries) {
        SluiceClient.connect(webSockets, uri, options)
                .thenCompose(client -> client.login(user, device)
                        .whenComplete((ok, failure) -> {
                            if (failure != null) {
                                client.close();
                            }
                        })
                        .thenApply(ok -> client))
                .whenComplete((client, failure) -> {
                    if (failure == null) {
                        held.add(client);
                        inFlight.release();
                    } else if (tries > 0) {
                        retried.incrementAndGet();
                        open(webSockets, user, device, tries - 1);
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, String.valueOf(failure).replace('\n', ' '));
                        inFlight.release();
                    }
                });
    }
}
