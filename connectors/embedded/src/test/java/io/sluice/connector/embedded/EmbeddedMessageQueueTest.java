package io.sluice.connector.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.spi.Address;
import io.sluice.spi.MessageQueue;
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
        queue.enqueue(to, TestKeys.bytes("kept"), "d-1");
        long before = queue.read(to, 0, 10).get(0).id();
        queue.close();

        try (EmbeddedMessageQueue reopened = EmbeddedMessageQueue.open(dir, false, Duration.ofDays(1))) {
            assertThat(reopened.read(to, 0, 10)).extracting(QueuedMessage::id).containsExactly(before);
            assertThat(reopened.enqueue(to, TestKeys.bytes("kept"), "d-1"))
                    .as("dedup survives")
                    .isFalse();
            reopened.enqueue(to, TestKeys.bytes("new"), null);
            assertThat(reopened.read(to, before, 10))
                    .singleElement()
                    .satisfies(m -> assertThat(m.id()).isGreaterThan(before));
        }
        queue.reopen();
    }

    @Test
    void queuedAtIsTheClocksTimeOfAcceptanceAndUsageIsRecountedAfterReopen(@TempDir Path own) {
        Instant accepted = Instant.parse("2030-01-02T03:04:05.678Z");
        Address to = TestKeys.address(1);
        try (EmbeddedMessageQueue timed =
                EmbeddedMessageQueue.open(own, false, Duration.ofDays(1), Clock.fixed(accepted, ZoneOffset.UTC))) {
            timed.enqueue(to, TestKeys.bytes("abc"), null);
            timed.enqueue(to, TestKeys.bytes("de"), null);
            assertThat(timed.read(to, 0, 10))
                    .extracting(QueuedMessage::queuedAt)
                    .containsOnly(accepted);
            assertThat(timed.usage(to)).isEqualTo(new QueueUsage(2, 5));
        }
        try (EmbeddedMessageQueue reopened = EmbeddedMessageQueue.open(own, false, Duration.ofDays(1))) {
            assertThat(reopened.usage(to)).isEqualTo(new QueueUsage(2, 5));
        }
    }

    @Test
    void usageStaysExactWhileASubscribedQueueEmptiesAndRefills() {
        Address to = TestKeys.address(1);
        MessageQueue.Subscription online = queue.subscribe(to, () -> {});
        for (int round = 0; round < 3; round++) {
            queue.enqueue(to, TestKeys.bytes("abc"), null);
            assertThat(queue.usage(to)).isEqualTo(new io.sluice.spi.QueueUsage(1, 3));
            queue.acknowledge(to, queue.read(to, 0, 1).get(0).id());
            assertThat(queue.usage(to)).isEqualTo(new io.sluice.spi.QueueUsage(0, 0));
        }
        online.close();
        queue.enqueue(to, TestKeys.bytes("abcd"), null);
        assertThat(queue.usage(to))
                .as("counted again after the subscriber left")
                .isEqualTo(new io.sluice.spi.QueueUsage(1, 4));
    }

    @Test
    void secondProcessOnSameDirectoryIsRefusedWithClearMessage() {
        assertThatThrownBy(() -> EmbeddedMessageQueue.open(dir, false, Duration.ofDays(1)))
                .hasMessage("sluice.data-dir: '" + dir.getParent()
                        + "' (expected: a directory no other Sluice process is using)");
    }
}
