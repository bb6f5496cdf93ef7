package io.sluice.gateway.camel;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.connector.support.SluiceExchanges;
import io.sluice.spi.Address;
import io.sluice.spi.Enqueue;
import io.sluice.spi.Enqueued;
import io.sluice.spi.ErrorName;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.QueueUsage;
import io.sluice.spi.QueuedMessage;
import io.sluice.spi.SluiceException;
import io.sluice.spi.SluiceHeaders;
import io.sluice.testkit.TestKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code sluice:deliver} in a Camel context of its own, on a queue that answers what the test says. */
class DeliverProducerTest {
    private final Address to = TestKeys.address(1);
    private final AnsweringQueue queue = new AnsweringQueue();
    private final QueueQuota quota = new QueueQuota(5, 500);
    private final List<Enqueued> told = new CopyOnWriteArrayList<>();
    private CamelContext camel;
    private ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addComponent("sluice", new SluiceComponent(queue, DeliverGuard.of(quota, (recipient, result) -> {
            told.add(result);
            return result.accepted() ? null : new SluiceException(ErrorName.RATE_LIMITED, "full");
        })));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:deliver").to("sluice:deliver");
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    private Exchange deliver(Object body, String messageId) {
        return template.send("direct:deliver", exchange -> {
            SluiceExchanges.setAddress(exchange.getMessage(), to);
            exchange.getMessage().setHeader(SluiceHeaders.MESSAGE_ID, messageId);
            exchange.getMessage().setBody(body);
        });
    }

    @Test
    void queuesTheBodyForTheRecipientWithItsIdAndTheGuardsQuota() {
        queue.answer = List.of(new Enqueued(Enqueued.Outcome.QUEUED, 7, new QueueUsage(1, 3)));
        Exchange done = deliver(new byte[] {1, 2, 3}, "m-1");

        assertThat(done.getException()).isNull();
        assertThat(queue.calls).singleElement().satisfies(call -> {
            assertThat(call).extracting(Enqueue::recipient).containsExactly(to);
            assertThat(call.get(0).body()).containsExactly(1, 2, 3);
            assertThat(call.get(0).dedupId()).isEqualTo("m-1");
        });
        assertThat(queue.quotas).containsExactly(quota);
        assertThat(told).extracting(Enqueued::id).containsExactly(7L);
    }

    @Test
    void aDuplicateCompletesAsIfQueued() {
        queue.answer = List.of(new Enqueued(Enqueued.Outcome.DUPLICATE, 0, new QueueUsage(1, 3)));
        assertThat(deliver(new byte[] {1}, "m-1").getException()).isNull();
    }

    @Test
    void aRefusalByTheQuotaFailsTheExchangeWithTheGuardsAnswer() {
        queue.answer = List.of(new Enqueued(Enqueued.Outcome.REFUSED_MESSAGES_QUOTA, 0, new QueueUsage(5, 5)));
        assertThat(deliver(new byte[] {1}, null).getException())
                .isInstanceOfSatisfying(
                        SluiceException.class, e -> assertThat(e.errorName()).isEqualTo(ErrorName.RATE_LIMITED));
    }

    @Test
    void aQueueThatCannotTakeItFailsTheExchange() {
        queue.failure = SluiceException.unavailable("down", null);
        assertThat(deliver(new byte[] {1}, null).getException())
                .isInstanceOfSatisfying(
                        SluiceException.class, e -> assertThat(e.errorName()).isEqualTo(ErrorName.UNAVAILABLE));
    }

    @Test
    void aMessageWithoutARecipientFailsWithoutReachingTheQueue() {
        Exchange done = template.send(
                "direct:deliver", exchange -> exchange.getMessage().setBody(new byte[] {1}));
        assertThat(done.getException())
                .isInstanceOfSatisfying(
                        SluiceException.class, e -> assertThat(e.errorName()).isEqualTo(ErrorName.INVALID_MESSAGE));
        assertThat(queue.calls).isEmpty();
    }

    @Test
    void aBatchIsOneCallInListOrderWithAnOutcomePerItem() {
        queue.answer = List.of(
                new Enqueued(Enqueued.Outcome.QUEUED, 1, new QueueUsage(1, 1)),
                new Enqueued(Enqueued.Outcome.REFUSED_BYTES_QUOTA, 0, new QueueUsage(1, 1)));
        List<Exchange> items = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            Exchange item = new DefaultExchange(camel);
            if (!id.equals("b")) {
                SluiceExchanges.setAddress(item.getMessage(), to);
            }
            item.getMessage().setHeader(SluiceHeaders.MESSAGE_ID, id);
            item.getMessage().setBody(id.getBytes(StandardCharsets.UTF_8));
            items.add(item);
        }
        Exchange done = deliver(items, null);

        assertThat(done.getException()).isNull();
        assertThat(queue.calls)
                .singleElement()
                .satisfies(call -> assertThat(call).extracting(Enqueue::dedupId).containsExactly("a", "c"));
        assertThat(items)
                .extracting(e -> e.getMessage().getHeader(SluiceHeaders.DELIVER_OUTCOME))
                .containsExactly("queued", "invalid", "refused_bytes_quota");
        assertThat(items.get(2).getMessage().getHeader(SluiceHeaders.ERROR_DESCRIPTION))
                .isEqualTo("full");
    }

    /** Answers every enqueue with {@code answer}, or fails with {@code failure}, from another thread. */
    private static final class AnsweringQueue implements MessageQueue {
        final List<List<Enqueue>> calls = new CopyOnWriteArrayList<>();
        final List<QueueQuota> quotas = new CopyOnWriteArrayList<>();
        volatile List<Enqueued> answer = List.of();
        volatile RuntimeException failure;

        @Override
        public CompletionStage<List<Enqueued>> enqueue(List<Enqueue> messages, QueueQuota quota) {
            calls.add(messages);
            quotas.add(quota);
            RuntimeException fail = failure;
            return fail != null ? CompletableFuture.failedFuture(fail) : CompletableFuture.supplyAsync(() -> answer);
        }

        @Override
        public CompletionStage<List<QueuedMessage>> read(Address recipient, long afterId, int max) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> acknowledge(Address recipient, long id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<QueueUsage> usage(Address recipient) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Subscription subscribe(Address recipient, Listener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> signal(Address recipient, Signal signal) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }
}
