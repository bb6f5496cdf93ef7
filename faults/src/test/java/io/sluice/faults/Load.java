package io.sluice.faults;

import io.sluice.client.Identity;
import io.sluice.client.Inbound;
import io.sluice.client.SluiceClient;
import io.sluice.client.SluiceError;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Load through the Java client that survives the gateway going away: {@code senders} anonymous connections each
 * send to every one of {@code recipients} logged-in devices, one stream per pair, each stream one message at a time
 * (the next only once the previous is acked; a failed or unanswered send is sent again on a new connection).
 * Recipients ack each message and log in again whenever their connection ends. Everything goes into the
 * {@link Ledger}.
 */
final class Load implements AutoCloseable {
    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofMillis(50);
    private static final int BODY_BYTES = 256;

    private final URI uri;
    private final Ledger ledger;
    private final List<Identity> recipients = new ArrayList<>();
    private final int senders;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean sending = true;
    private volatile boolean running = true;

    private Load(URI uri, int senders, int recipients, Ledger ledger) {
        this.uri = uri;
        this.senders = senders;
        this.ledger = ledger;
        for (int i = 0; i < recipients; i++) {
            this.recipients.add(Identity.generate());
        }
    }

    /** Starts the recipients, then the senders. */
    static Load start(URI uri, int senders, int recipients, Ledger ledger) {
        Load load = new Load(uri, senders, recipients, ledger);
        load.recipients.forEach(r -> load.threads.execute(() -> load.receive(r)));
        for (int s = 0; s < senders; s++) {
            int sender = s;
            load.threads.execute(() -> load.send(sender));
        }
        return load;
    }

    /** Stops sending new messages; recipients keep receiving until {@link #close()}. */
    void stopSending() {
        sending = false;
    }

    private void receive(Identity identity) {
        while (running) {
            SluiceClient client = null;
            try {
                client = SluiceClient.connect(uri).get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
                client.onInbound(this::onInbound);
                client.login(identity, 1).get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
                while (running && client.isOpen() && !client.closed().isDone()) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                pause();
            } finally {
                if (client != null) {
                    client.close();
                }
            }
        }
    }

    private void onInbound(Inbound message) {
        ledger.delivered(message.body());
        message.ack();
    }

    /** One sender connection, its streams (one per recipient) taking turns, each message in sequence. */
    private void send(int sender) {
        long[] next = new long[recipients.size()];
        SluiceClient client = null;
        int turn = 0;
        while (running && sending) {
            int r = turn++ % recipients.size();
            int stream = sender * recipients.size() + r;
            try {
                if (client == null || !client.isOpen()) {
                    if (client != null) {
                        client.close();
                    }
                    client = SluiceClient.connect(uri).get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
                }
                ledger.sent();
                client.send(recipients.get(r).userId(), 1, Ledger.body(stream, next[r], BODY_BYTES))
                        .get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
                ledger.acked(stream, next[r]);
                next[r]++;
            } catch (InterruptedException e) {
                break;
            } catch (ExecutionException e) {
                // unavailable, rate_limited or the connection gone: the same message again, on a new connection
                // unless only a limit said no.
                if (client != null
                        && !(e.getCause() instanceof SluiceError error
                                && error.name().equals("rate_limited"))) {
                    client.close();
                    client = null;
                }
                pause();
            } catch (TimeoutException | RuntimeException e) {
                if (client != null) {
                    client.close();
                    client = null;
                }
                pause();
            }
        }
        if (client != null) {
            client.close();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        sending = false;
        threads.shutdownNow();
        try {
            threads.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
