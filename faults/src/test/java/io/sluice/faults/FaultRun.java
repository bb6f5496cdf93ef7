package io.sluice.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/** What every fault scenario shares: its length (short in CI, long by hand), free ports, and its report. */
final class FaultRun {
    /** The recovery bar: the load flows again within this of a restart or of a fault's end. */
    static final Duration RECOVERY = Duration.ofSeconds(5);

    private FaultRun() {}

    /** Kill or fault cycles per scenario: {@code -Dfaults.cycles}, 3 in the short form. */
    static int cycles() {
        return Integer.getInteger("faults.cycles", 3);
    }

    /** Load between two faults: {@code -Dfaults.load-seconds}, 3 in the short form. */
    static Duration loadTime() {
        return Duration.ofSeconds(Integer.getInteger("faults.load-seconds", 3));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints one line of figures and appends it to {@code target/faults-report.txt}. */
    static void report(String line) {
        System.out.println("FAULTS " + line);
        try {
            Files.writeString(
                    Path.of("target", "faults-report.txt"),
                    java.time.Instant.now() + " " + line + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("FAULTS cannot write target/faults-report.txt: " + e);
        }
    }

    /** Waits until both an ack and a first delivery are newer than {@code since}; how long that took. */
    static Duration awaitFlowing(Ledger ledger, long since, Duration atMost) throws InterruptedException {
        long deadline = since + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (ledger.lastAckNanos() - since > 0 && ledger.lastDeliveryNanos() - since > 0) {
                return Duration.ofNanos(Math.max(ledger.lastAckNanos(), ledger.lastDeliveryNanos()) - since);
            }
            Thread.sleep(10);
        }
        return atMost;
    }

    /** Waits until {@code last} (a {@link System#nanoTime()}) is newer than {@code since}; how long that took. */
    static Duration awaitFlowingSince(java.util.concurrent.atomic.AtomicLong last, long since, Duration atMost)
            throws InterruptedException {
        long deadline = since + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (last.get() - since > 0) {
                return Duration.ofNanos(last.get() - since);
            }
            Thread.sleep(10);
        }
        return atMost;
    }

    /** Waits until every acked message was delivered, or the time is up. */
    static void awaitDelivered(Ledger ledger, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (ledger.undelivered() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
