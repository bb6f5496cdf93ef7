package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.gateway.testing.GatewayExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Messages from an anonymous sender to a logged-in recipient, through whatever the gateway's routes do. */
final class RoundTrip {
    private RoundTrip() {}

    /** The texts of {@code count} messages: {@code <prefix>-0} … */
    static List<String> messages(String prefix, int count) {
        List<String> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(prefix + "-" + i);
        }
        return messages;
    }

    /** Requests one sender keeps in flight: enough to pipeline, few enough that none waits out its timeout. */
    private static final int WINDOW = 32;

    /**
     * Sends the messages from one anonymous client to the recipient's device 1, pipelined up to {@link #WINDOW}
     * requests (the gateway takes a connection's requests in order, so order is kept), and waits for every ack.
     */
    static void send(GatewayExtension gateway, Identity recipient, List<String> messages) throws Exception {
        SluiceClient sender = gateway.connect();
        Semaphore window = new Semaphore(WINDOW);
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (String message : messages) {
            if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new AssertionError("no ack for 60 s after " + acks.size() + " sends");
            }
            acks.add(sender.send(recipient.userId(), 1, message.getBytes(StandardCharsets.UTF_8))
                    .whenComplete((ok, failed) -> window.release()));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    }

    /** Reads {@code count} inbound messages on the device, acking each, in the order they arrive. */
    static List<String> receive(SluiceClient device, int count) throws InterruptedException {
        List<String> received = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Inbound message = device.nextInbound(Duration.ofSeconds(30));
            assertThat(message).as("message %d of %d", i + 1, count).isNotNull();
            received.add(new String(message.body(), StandardCharsets.UTF_8));
            message.ack();
        }
        return received;
    }
}
