package io.sluice.gateway.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import io.sluice.proto.Messages;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A transport that keeps what a connection sends, decoded, for unit tests. */
final class RecordingTransport implements Transport {
    final BlockingQueue<Messages.Message> sent = new LinkedBlockingQueue<>();
    volatile CloseStatus closedWith;

    @Override
    public void send(ByteBuffer frame) {
        try {
            sent.add(Messages.Message.parseFrom(frame));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("the connection sent a frame that does not parse", e);
        }
    }

    @Override
    public void close(CloseStatus status, String reason) {
        closedWith = status;
    }

    Messages.Message next() throws InterruptedException {
        Messages.Message message = sent.poll(5, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("nothing was sent within 5 s");
        }
        return message;
    }

    Messages.Message nextWithin(Duration timeout) throws InterruptedException {
        return sent.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
