package io.sluice.client;

import io.sluice.proto.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One request of a {@link SluiceClient}, from the call to its answer: it may be sent on several connections (a
 * new sequence each time) but has one deadline and one result.
 */
final class Call {
    /** Whether a call whose connection was lost before the answer may be sent again on the next one. */
    enum OnLoss {
        RESEND,
        FAIL
    }

    private final String type;
    private final Function<Connection, Messages.Message.Builder> message;
    private final OnLoss onLoss;
    private final long deadlineNanos;
    private final CompletableFuture<List<Messages.Message>> result = new CompletableFuture<>();
    // Guarded by this: the preKey answers of the current attempt.
    private final List<Messages.Message> responses = new ArrayList<>();
    // Guarded by the client's lock.
    private Connection connection;
    private int sequence;
    private int unavailableAnswers;
    // The unavailable answer of an earlier attempt: what the call fails with if its deadline passes.
    private volatile SluiceError lastError;

    Call(String type, Function<Connection, Messages.Message.Builder> message, OnLoss onLoss, long deadlineNanos) {
        this.type = type;
        this.message = message;
        this.onLoss = onLoss;
        this.deadlineNanos = deadlineNanos;
    }

    String type() {
        return type;
    }

    OnLoss onLoss() {
        return onLoss;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    CompletableFuture<List<Messages.Message>> result() {
        return result;
    }

    /** The frame of an attempt on {@code on} with {@code seq}; the login's is signed over that connection's nonce. */
    Messages.Message frame(Connection on, int seq) {
        synchronized (this) {
            responses.clear();
        }
        this.connection = on;
        this.sequence = seq;
        return message.apply(on).setSequence(seq).build();
    }

    Connection connection() {
        return connection;
    }

    int sequence() {
        return sequence;
    }

    int unavailableAnswers() {
        return unavailableAnswers++;
    }

    SluiceError lastError() {
        return lastError;
    }

    void lastError(SluiceError error) {
        this.lastError = error;
    }

    void add(Messages.Message response) {
        synchronized (this) {
            responses.add(response);
        }
    }

    void succeed(Messages.Message closingAck) {
        List<Messages.Message> all;
        synchronized (this) {
            responses.add(closingAck);
            all = List.copyOf(responses);
        }
        result.complete(all);
    }

    void fail(Throwable failure) {
        result.completeExceptionally(failure);
    }
}
