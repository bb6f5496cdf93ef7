package io.sluice.connector.embedded;

import io.sluice.spi.Address;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.QueueUsage;
import io.sluice.spi.QueuedMessage;
import java.util.List;

/** Delegates every call; subclasses override what they add to. */
class MessageQueueDecorator implements MessageQueue {
    private final MessageQueue delegate;

    MessageQueueDecorator(MessageQueue delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean enqueue(Address recipient, byte[] body, String dedupId) {
        return delegate.enqueue(recipient, body, dedupId);
    }

    @Override
    public List<QueuedMessage> read(Address recipient, long afterId, int max) {
        return delegate.read(recipient, afterId, max);
    }

    @Override
    public void acknowledge(Address recipient, long id) {
        delegate.acknowledge(recipient, id);
    }

    @Override
    public long depth(Address recipient) {
        return delegate.depth(recipient);
    }

    @Override
    public QueueUsage usage(Address recipient) {
        return delegate.usage(recipient);
    }

    @Override
    public void checkAvailable() {
        delegate.checkAvailable();
    }

    @Override
    public Subscription subscribe(Address recipient, Runnable listener) {
        return delegate.subscribe(recipient, listener);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
