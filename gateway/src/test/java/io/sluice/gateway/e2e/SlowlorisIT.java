package io.sluice.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12.5: sockets that dribble their HTTP upgrade request one byte at a time, each byte well within the idle
 * timeout, used to stay open for ever. The whole request head now has a deadline.
 */
class SlowlorisIT {
    private static final Duration DEADLINE = Duration.ofSeconds(3);

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.withSettings(Map.of(
            "sluice.ws.handshake-timeout", DEADLINE.toMillis() + "ms",
            "sluice.limits.connections-per-ip", "0",
            "sluice.prekeys.check-interval", "1h"));

    @Test
    void twoHundredSocketsDribblingTheirUpgradeRequestAreClosedWithinTheDeadline() throws Exception {
        int sockets = 200;
        byte[] request = ("GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                        + "X-Padding: " + "a".repeat(400) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        AtomicInteger closedByServer = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(sockets);
        List<Long> openMillis = java.util.Collections.synchronizedList(new ArrayList<>());
        long testStart = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < sockets; i++) {
                threads.execute(() -> {
                    long opened = System.nanoTime();
                    try (Socket socket =
                            new Socket("127.0.0.1", GATEWAY.gateway().port())) {
                        socket.setSoTimeout(200);
                        OutputStream out = socket.getOutputStream();
                        InputStream in = socket.getInputStream();
                        // One byte every 200 ms: the whole head would take 100 s, each byte resets an idle timer.
                        for (byte b : request) {
                            out.write(b);
                            out.flush();
                            try {
                                if (in.read() < 0) {
                                    closedByServer.incrementAndGet();
                                    return;
                                }
                            } catch (java.net.SocketTimeoutException quiet) {
                                // nothing from the server yet: dribble on
                            }
                            if (System.nanoTime() - testStart > TimeUnit.SECONDS.toNanos(60)) {
                                return; // still open after a minute: the test fails below
                            }
                        }
                        completed.incrementAndGet();
                    } catch (IOException e) {
                        closedByServer.incrementAndGet(); // reset by the server
                    } finally {
                        openMillis.add((System.nanoTime() - opened) / 1_000_000);
                        done.countDown();
                    }
                });
            }
            assertThat(done.await(90, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(closedByServer.get()).as("sockets closed by the server").isEqualTo(sockets);
        assertThat(openMillis.stream().mapToLong(Long::longValue).max().orElseThrow())
                .as("longest time a dribbling socket stayed open, ms")
                .isLessThan(DEADLINE.plusSeconds(3).toMillis());
        // The front still takes real clients.
        assertThat(GATEWAY.connect().nonce()).hasSize(32);
    }
}
