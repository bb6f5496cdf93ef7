package io.sluice.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.camel.RoutedPreKeyStore;
import io.sluice.spi.ErrorName;
import io.sluice.spi.PreKeyRequest;
import io.sluice.spi.PreKeyStore;
import io.sluice.spi.SluiceException;
import io.sluice.testkit.TestKeys;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How routes/rest-prekeys.yaml behaves when the store misbehaves: a stub store on loopback that answers 503,
 * or never answers, and counts the requests it got. A fresh gateway per test, so breakers start closed.
 */
class RestPreKeysResilienceIT {
    private enum Mode {
        FAIL_503,
        HANG
    }

    @TempDir
    Path dataDir;

    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.FAIL_503);
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer stub;
    private Gateway gateway;
    private PreKeyStore store;

    @BeforeEach
    void start() throws Exception {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        stub.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        stub.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path.substring(path.lastIndexOf('/') + 1), k -> new AtomicInteger())
                    .incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            if (mode.get() == Mode.HANG) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        stub.start();
        gateway = RouteFixtures.gateway(
                dataDir,
                "rest-prekeys.yaml",
                Map.of(
                        "sluice.rest.url",
                        "http://127.0.0.1:" + stub.getAddress().getPort(),
                        "sluice.rest.timeout",
                        "500"));
        store = new RoutedPreKeyStore(gateway.backend());
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (gateway != null) {
            gateway.close();
        }
        stub.stop(0);
    }

    private static void assertUnavailable(Runnable call) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        SluiceException.class, e -> assertThat(e.errorName()).isEqualTo(ErrorName.UNAVAILABLE));
    }

    @Test
    void claimIsSentOnceNeverRetried() {
        assertUnavailable(() -> store.claim(new PreKeyRequest(TestKeys.userId(), Set.of())));

        assertThat(hits.get("claim")).hasValue(1);
    }

    @Test
    void idempotentCallsAreSentAgainTwiceThenUnavailable() {
        assertUnavailable(() -> store.count(TestKeys.address(1)));
        assertThat(hits.get("prekey-count")).hasValue(3);

        io.sluice.spi.Address device = TestKeys.address(2);
        assertUnavailable(() -> store.unregister(device));
        assertThat(hits.get(String.valueOf(device.deviceId()))).hasValue(3);
    }

    @Test
    void storeThatNeverAnswersIsUnavailableWithinTheTimeout() {
        mode.set(Mode.HANG);
        long start = System.nanoTime();

        assertUnavailable(() -> store.claim(new PreKeyRequest(TestKeys.userId(), Set.of())));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void openCircuitAnswersWithoutCallingTheStore() {
        for (int i = 0; i < 4; i++) {
            assertUnavailable(() -> store.claim(new PreKeyRequest(TestKeys.userId(), Set.of())));
        }
        int sent = hits.get("claim").get();
        long start = System.nanoTime();

        assertUnavailable(() -> store.claim(new PreKeyRequest(TestKeys.userId(), Set.of())));

        assertThat(hits.get("claim"))
                .as("the open circuit kept the call from the store")
                .hasValue(sent);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
    }
}
