package io.sluice.connector.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.spi.Address;
import io.sluice.spi.Enqueue;
import io.sluice.spi.Enqueued;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.QueueUsage;
import io.sluice.spi.QueuedMessage;
import io.sluice.testkit.BackendControl;
import io.sluice.testkit.MessageQueueContract;
import io.sluice.testkit.TestKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedMessageQueueTest extends MessageQueueContract {
    @TempDir
    static Path dir;

    private EmbeddedMessageQueue queue;

    @BeforeAll
    void open() {
        queue = EmbeddedMessageQueue.open(dir, false, Duration.ofDays(1));
    }

    @AfterAll
    void close() {
        queue.close();
    }

    @Override
    protected MessageQueue queue() {
        return queue;
    }

    @Override
    protected BackendControl backend() {
        return new BackendControl() {
            @Override
            public void takeDown() {
                queue.close();
            }

            @Override
            public void bringBack() {
                queue.reopen();
            }
        };
    }

    @Test
    void messagesAndIdsSurviveReopenAndIdsKeepGrowing() {
        Address to = TestKeys.address(1);
        put(to, "kept", "d-1");
        long before = read(to, 0, 10).get(0).id();
        queue.close();

        try (EmbeddedMessageQueue reopened = EmbeddedMessageQueue.open(dir, false, Duration.ofDays(1))) {
            assertThat(join(reopened.read(to, 0, 10)))
                    .extracting(QueuedMessage::id)
                    .containsExactly(before);
            assertThat(join(reopened.enqueue(new Enqueue(to, TestKeys.bytes("kept"), "d-1"), QueueQuota.NONE))
                            .outcome())
                    .as("dedup survives")
                    .isEqualTo(Enqueued.Outcome.DUPLICATE);
            join(reopened.enqueue(new Enqueue(to, TestKeys.bytes("new")), QueueQuota.NONE));
            assertThat(join(reopened.read(to, before, 10)))
                    .singleElement()
                    .satisfies(m -> assertThat(m.id()).isGreaterThan(before));
        }
        queue.reopen();
    }

    @Test
    void queuedAtIsTheClocksTimeOfAcceptanceAndUsageSurvivesReopen(@TempDir Path own) {
        Instant accepted = Instant.parse("2030-01-02T03:04:05.678Z");
        Address to = TestKeys.address(1);
        try (EmbeddedMessageQueue timed =
                EmbeddedMessageQueue.open(own, false, Duration.ofDays(1), Clock.fixed(accepted, ZoneOffset.UTC))) {
            join(timed.enqueue(new Enqueue(to, TestKeys.bytes("abc")), QueueQuota.NONE));
            join(timed.enqueue(new Enqueue(to, TestKeys.bytes("de")), QueueQuota.NONE));
            assertThat(join(timed.read(to, 0, 10)))
                    .extracting(QueuedMessage::queuedAt)
                    .containsOnly(accepted);
            assertThat(join(timed.usage(to))).isEqualTo(new QueueUsage(2, 5));
        }
        try (EmbeddedMessageQueue reopened = EmbeddedMessageQueue.open(own, false, Duration.ofDays(1))) {
            assertThat(join(reopened.usage(to))).isEqualTo(new QueueUsage(2, 5));
        }
    }

    @Test
    void usageOfADatabaseFromBeforeTheCountersIsCountedOnceAtOpen(@TempDir Path own) throws Exception {
        Address to = TestKeys.address(1);
        try (EmbeddedMessageQueue old = EmbeddedMessageQueue.open(own, false, Duration.ofDays(1))) {
            join(old.enqueue(new Enqueue(to, TestKeys.bytes("abc")), QueueQuota.NONE));
            join(old.enqueue(new Enqueue(to, TestKeys.bytes("de")), QueueQuota.NONE));
        }
        // Make it look like a database written before the usage family existed.
        try (RocksStore raw = new RocksStore(own, EmbeddedMessageQueue.FAMILIES, false).open()) {
            raw.with((db, options, cf) -> {
                db.delete(cf.get(EmbeddedMessageQueue.USAGE), Keys.device(to));
                db.delete(cf.get(EmbeddedMessageQueue.META), EmbeddedMessageQueue.USAGE_COUNTED);
                return null;
            });
        }
        try (EmbeddedMessageQueue reopened = EmbeddedMessageQueue.open(own, false, Duration.ofDays(1))) {
            assertThat(join(reopened.usage(to))).isEqualTo(new QueueUsage(2, 5));
        }
    }

    @Test
    void usageStaysExactWhileASubscribedQueueEmptiesAndRefills() {
        Address to = TestKeys.address(1);
        MessageQueue.Subscription online = queue.subscribe(to, () -> {});
        for (int round = 0; round < 3; round++) {
            put(to, "abc", null);
            assertThat(usage(to)).isEqualTo(new QueueUsage(1, 3));
            ack(to, read(to, 0, 1).get(0).id());
            assertThat(usage(to)).isEqualTo(QueueUsage.EMPTY);
        }
        online.close();
        put(to, "abcd", null);
        assertThat(usage(to)).as("counted after the subscriber left").isEqualTo(new QueueUsage(1, 4));
    }

    @Test
    void acknowledgementsSurviveReopen(@TempDir Path own) {
        Address to = TestKeys.address(1);
        long id;
        try (EmbeddedMessageQueue first = EmbeddedMessageQueue.open(own, false, Duration.ofDays(1))) {
            id = join(first.enqueue(new Enqueue(to, TestKeys.bytes("gone")), QueueQuota.NONE))
                    .id();
            join(first.enqueue(new Enqueue(to, TestKeys.bytes("kept")), QueueQuota.NONE));
            join(first.acknowledge(to, id));
        }
        try (EmbeddedMessageQueue reopened = EmbeddedMessageQueue.open(own, false, Duration.ofDays(1))) {
            assertThat(join(reopened.read(to, 0, 10)))
                    .extracting(m -> new String(m.body(), java.nio.charset.StandardCharsets.UTF_8))
                    .containsExactly("kept");
            assertThat(join(reopened.usage(to))).isEqualTo(new QueueUsage(1, 4));
        }
    }

    @Test
    void secondProcessOnSameDirectoryIsRefusedWithClearMessage() {
        assertThatThrownBy(() -> EmbeddedMessageQueue.open(dir, false, Duration.ofDays(1)))
                .hasMessage("sluice.data-dir: '" + dir.getParent()
                        + "' (expected: a directory no other Sluice process is using)");
    }
}
