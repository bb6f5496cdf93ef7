package io.sluice.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.client.SluiceError;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.protocol.Backend;
import io.sluice.proto.Messages;
import io.sluice.spi.Address;
import io.sluice.spi.Settings;
import io.sluice.spi.UserId;
import io.sluice.testkit.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Network faults between a real gateway and its prekey store, under a load of claims: the store reached through a
 * {@link TcpProxy} that stalls, drops or resets its connections for a while, again and again. Every one-time prekey
 * is counted: registered (acked), claimed (received by a client), left in the store, and claimed twice (never
 * allowed). During a fault every request is answered within the request timeout (unavailable, nothing hangs);
 * after it, claims succeed again within {@link FaultRun#RECOVERY}.
 */
abstract class PreKeyStoreNetworkFaults {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration FAULT = Duration.ofSeconds(3);
    private static final int KEYS = 5000;

    @TempDir
    Path dataDir;

    /** The route file and the store's settings, its address being {@code proxy}'s. */
    protected abstract Map<String, String> settings(TcpProxy proxy);

    /** The store the proxy forwards to, {@code host:port}. */
    protected abstract String storeHost();

    protected abstract int storePort();

    protected abstract String name();

    @ParameterizedTest
    @EnumSource(NetworkFault.class)
    void claimsAreAnsweredDuringFaultsRecoverWithinFiveSecondsAndNoKeyIsHandedOutTwice(NetworkFault fault)
            throws Exception {
        try (TcpProxy proxy = TcpProxy.to(storeHost(), storePort())) {
            Map<String, String> all = new HashMap<>(settings(proxy));
            all.put("sluice.host", "127.0.0.1");
            all.put("sluice.port", "0");
            all.put("sluice.admin.port", "0");
            all.put("sluice.data-dir", dataDir.toString());
            all.put("sluice.request-timeout", REQUEST_TIMEOUT.toMillis() + "ms");
            all.put("sluice.limits.prekey-requests", "off");
            all.put("sluice.prekeys.check-interval", "1h");
            try (Gateway gateway = Gateway.start(Settings.of(all))) {
                run(gateway, proxy, fault);
            }
        }
    }

    private void run(Gateway gateway, TcpProxy proxy, NetworkFault fault) throws Exception {
        Identity bob = Identity.generate();
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            keys.add(("k-" + i).getBytes(StandardCharsets.UTF_8));
        }
        SluiceClient device = SluiceClient.connect(gateway.uri()).get();
        device.login(bob, 1).get(10, TimeUnit.SECONDS);
        // In batches within the request timeout: the same registration id and signed prekey append the keys.
        for (int from = 0; from < KEYS; from += 500) {
            device.register(7, "signed".getBytes(StandardCharsets.UTF_8), keys.subList(from, from + 500))
                    .get(30, TimeUnit.SECONDS);
        }
        device.close();

        Set<String> claimed = ConcurrentHashMap.newKeySet();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        AtomicLong unavailable = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong slowest = new AtomicLong();
        AtomicLong lastClaim = new AtomicLong();
        List<Duration> recoveries = new ArrayList<>();
        ExecutorService claimers = Executors.newVirtualThreadPerTaskExecutor();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        for (int c = 0; c < 4; c++) {
            claimers.execute(() -> {
                SluiceClient client = null;
                while (running.get()) {
                    long asked = System.nanoTime();
                    try {
                        if (client == null || !client.isOpen()) {
                            client = SluiceClient.connect(gateway.uri()).get(10, TimeUnit.SECONDS);
                        }
                        List<Messages.PreKey> got =
                                client.requestPreKeys(bob.userId(), Set.of()).get(30, TimeUnit.SECONDS);
                        for (Messages.PreKey key : got) {
                            if (!key.getOneTimePreKey().isEmpty()
                                    && !claimed.add(key.getOneTimePreKey().toStringUtf8())) {
                                duplicates.incrementAndGet();
                            }
                        }
                        lastClaim.set(System.nanoTime());
                    } catch (ExecutionException e) {
                        failed.incrementAndGet();
                        if (e.getCause() instanceof SluiceError error
                                && error.name().equals("unavailable")) {
                            unavailable.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (TimeoutException | RuntimeException e) {
                        failed.incrementAndGet();
                        if (client != null) {
                            client.close();
                            client = null;
                        }
                    }
                    answered.incrementAndGet();
                    long took = System.nanoTime() - asked;
                    slowest.accumulateAndGet(took, Math::max);
                    if (lastClaim.get() - asked < 0) {
                        // Failed: a client backs off rather than hammering a gateway that answers at once.
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                if (client != null) {
                    client.close();
                }
            });
        }
        try {
            FaultRun.awaitFlowingSince(lastClaim, System.nanoTime(), Duration.ofSeconds(30));
            for (int cycle = 0; cycle < FaultRun.cycles(); cycle++) {
                Thread.sleep(FaultRun.loadTime().toMillis()); // claims run meanwhile
                fault.inject(proxy);
                Thread.sleep(FAULT.toMillis()); // the fault lasts
                proxy.restore();
                recoveries.add(FaultRun.awaitFlowingSince(lastClaim, System.nanoTime(), Duration.ofSeconds(60)));
            }
        } finally {
            // Each claim in progress finishes: one abandoned half-way would take a key nobody sees.
            running.set(false);
            claimers.shutdown();
            claimers.awaitTermination(60, TimeUnit.SECONDS);
        }
        int left = gateway.backend()
                .preKeyCount(new Backend.Caller("faults", 0), new Address(UserId.of(bob.userId()), 1))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        long consumedUnseen = KEYS - claimed.size() - left;
        FaultRun.report(name() + " fault=" + fault + " cycles=" + FaultRun.cycles() + " registered=" + KEYS
                + " claimed=" + claimed.size() + " left=" + left + " consumed_unseen=" + consumedUnseen
                + " duplicates=" + duplicates.get() + " requests=" + answered.get() + " failed=" + failed.get()
                + " unavailable="
                + unavailable.get() + " slowest_answer_ms=" + slowest.get() / 1_000_000 + " recovery_ms="
                + recoveries.stream().map(Duration::toMillis).toList());

        assertThat(duplicates.get()).as("one-time prekeys handed out twice").isZero();
        assertThat(consumedUnseen)
                .as("keys neither claimed nor left: taken by a claim whose answer the fault cut (at most one per"
                        + " failed claim)")
                .isBetween(0L, failed.get());
        assertThat(Duration.ofNanos(slowest.get()))
                .as("longest wait for an answer, faults included")
                .isLessThanOrEqualTo(REQUEST_TIMEOUT.plusSeconds(2));
        assertThat(recoveries)
                .as("time from the end of each fault to the next successful claim")
                .allSatisfy(r -> assertThat(r).isLessThanOrEqualTo(FaultRun.RECOVERY));
    }
}
