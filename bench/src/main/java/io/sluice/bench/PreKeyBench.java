package io.sluice.bench;

import io.sluice.client.ClientOptions;
import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Scenario 3 against one prekey store: register users (each one device with a signed prekey and a stock of
 * one-time prekeys), then anonymous connections each claim prekeys back to back for a fixed time. This is a
 * closed loop (a connection sends its next request once the last one is answered), so the latencies are
 * service times at that concurrency, and the throughput is what the store sustains.
 */
final class PreKeyBench {
    private static final ClientOptions OPTIONS = ClientOptions.defaults().withRequestTimeout(Duration.ofSeconds(30));

    private PreKeyBench() {}

    /** What one store did. */
    record Result(
            String store,
            int users,
            int keysPerUser,
            int concurrency,
            double seconds,
            long requests,
            long withOneTimeKey,
            long withoutOneTimeKey,
            long failed,
            Latency.Summary latency,
            double serverCores,
            double loadgenCores,
            long serverHeapBytes,
            long serverRssBytes,
            double registerSeconds) {

        double throughput() {
            return requests / seconds;
        }
    }

    static Result run(
            String store, URI uri, ProcessProbe server, int users, int keysPerUser, int concurrency, Duration time)
            throws Exception {
        WebSocketClient webSockets = SluiceClient.newWebSocketClient(OPTIONS);
        List<SluiceClient> open = new ArrayList<>();
        try {
            long registerStart = System.nanoTime();
            List<byte[]> userIds = new ArrayList<>();
            List<CompletableFuture<Void>> registrations = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                Identity identity = Identity.generate();
                SluiceClient device =
                        SluiceClient.connect(webSockets, uri, OPTIONS).get(30, TimeUnit.SECONDS);
                open.add(device);
                List<byte[]> oneTime = new ArrayList<>();
                for (int k = 0; k < keysPerUser; k++) {
                    oneTime.add(key(u * 1_000_003L + k, 33));
                }
                int registrationId = u + 1;
                byte[] signedPreKey = key(u, 97);
                registrations.add(device.login(identity, 1)
                        .thenCompose(ok -> device.register(registrationId, signedPreKey, oneTime)));
                userIds.add(identity.userId());
            }
            CompletableFuture.allOf(registrations.toArray(CompletableFuture[]::new))
                    .get(120, TimeUnit.SECONDS);
            double registerSeconds = (System.nanoTime() - registerStart) / 1e9;

            List<SluiceClient> requesters = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                SluiceClient requester =
                        SluiceClient.connect(webSockets, uri, OPTIONS).get(30, TimeUnit.SECONDS);
                requesters.add(requester);
                open.add(requester);
            }
            // Warm the path up, unmeasured, a second's worth.
            loop(
                    requesters,
                    userIds,
                    System.nanoTime() + 1_000_000_000L,
                    new Latency(),
                    new AtomicLong(),
                    new AtomicLong(),
                    new AtomicLong(),
                    new AtomicLong());

            Latency latency = new Latency();
            AtomicLong requests = new AtomicLong();
            AtomicLong with = new AtomicLong();
            AtomicLong without = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            ProcessProbe self = ProcessProbe.self();
            ProcessProbe.Sample serverStart = server.sample();
            ProcessProbe.Sample selfStart = self.sample();
            long start = System.nanoTime();
            loop(requesters, userIds, start + time.toNanos(), latency, requests, with, without, failed);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(
                    store,
                    users,
                    keysPerUser,
                    concurrency,
                    seconds,
                    requests.get(),
                    with.get(),
                    without.get(),
                    failed.get(),
                    latency.drain(),
                    server.coresSince(serverStart),
                    self.coresSince(selfStart),
                    server.heapUsedBytes(),
                    server.rssBytes(),
                    registerSeconds);
        } finally {
            open.forEach(SluiceClient::close);
            webSockets.stop();
        }
    }

    /** Every requester claims prekeys of random users, one request at a time, until {@code deadline}. */
    private static void loop(
            List<SluiceClient> requesters,
            List<byte[]> userIds,
            long deadline,
            Latency latency,
            AtomicLong requests,
            AtomicLong with,
            AtomicLong without,
            AtomicLong failed)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(requesters.size());
        for (int c = 0; c < requesters.size(); c++) {
            SplittableRandom random = new SplittableRandom(c);
            SluiceClient requester = requesters.get(c);
            new Object() {
                void next() {
                    long sent = System.nanoTime();
                    if (sent >= deadline) {
                        done.countDown();
                        return;
                    }
                    requester
                            .requestPreKeys(userIds.get(random.nextInt(userIds.size())), List.of())
                            .whenComplete((keys, failure) -> {
                                latency.record(sent, System.nanoTime());
                                if (failure != null) {
                                    failed.incrementAndGet();
                                } else {
                                    requests.incrementAndGet();
                                    keys.forEach(
                                            k -> (!k.getOneTimePreKey().isEmpty() ? with : without).incrementAndGet());
                                }
                                next();
                            });
                }
            }.next();
        }
        done.await();
    }

    private static byte[] key(long seed, int length) {
        byte[] key = new byte[length];
        new SplittableRandom(seed).nextBytes(key);
        key[0] = 0x05;
        return key;
    }
}
