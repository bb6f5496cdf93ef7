package io.sluice.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.spi.ErrorName;
import io.sluice.spi.SluiceException;
import io.sluice.spi.SluiceHeaders;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.CommitManager;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualAsyncCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The commit of a poll, against Kafka's MockConsumer (which keeps what was committed). */
class BatchCommitTest {
    private static final TopicPartition P0 = new TopicPartition("sluice.sealed", 0);
    private static final TopicPartition P1 = new TopicPartition("sluice.sealed", 1);

    private final CamelContext camel = new DefaultCamelContext();
    private final MockConsumer<Object, Object> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    private final Map<TopicPartition, Long> told = new HashMap<>();
    private final List<Exchange> records = new ArrayList<>();

    @BeforeEach
    void assign() {
        consumer.assign(List.of(P0, P1));
    }

    @Test
    void everyPartitionIsCommittedPastItsLastRecordInOneGo() {
        record(P0, 10, "queued");
        record(P1, 4, "duplicate");
        record(P0, 11, "queued");
        poisonRecord(P1, 5);

        new BatchCommit().process(poll());

        assertThat(consumer.committed(java.util.Set.of(P0, P1)))
                .containsEntry(P0, new OffsetAndMetadata(12))
                .containsEntry(P1, new OffsetAndMetadata(6));
        assertThat(told).containsEntry(P0, 11L).containsEntry(P1, 5L);
    }

    @Test
    void aRefusedRecordHoldsItsPartitionThereAndFailsThePollForARead() {
        record(P0, 10, "queued");
        record(P0, 11, "refused_messages_quota");
        record(P1, 4, "queued");
        record(P0, 12, "queued");

        assertThatThrownBy(() -> new BatchCommit().process(poll()))
                .isInstanceOfSatisfying(
                        SluiceException.class, e -> assertThat(e.errorName()).isEqualTo(ErrorName.RATE_LIMITED))
                .hasMessageContaining("partition 0 offset 11");

        assertThat(consumer.committed(java.util.Set.of(P0, P1)))
                .as("up to the refused record, and the whole of the other partition")
                .containsEntry(P0, new OffsetAndMetadata(11))
                .containsEntry(P1, new OffsetAndMetadata(5));
    }

    @Test
    void aPartitionRefusedAtItsFirstRecordIsNotCommitted() {
        record(P0, 10, "refused_bytes_quota");
        record(P0, 11, "queued");

        assertThatThrownBy(() -> new BatchCommit().process(poll())).isInstanceOf(SluiceException.class);

        assertThat(consumer.committed(java.util.Set.of(P0))).doesNotContainKey(P0);
    }

    private Exchange poll() {
        Exchange poll = new DefaultExchange(camel);
        poll.setProperty(InboundBatch.RECORDS, records);
        return poll;
    }

    private Exchange record(TopicPartition partition, long offset, String outcome) {
        Exchange record = new DefaultExchange(camel);
        record.getMessage().setHeader(KafkaConstants.PARTITION, partition.partition());
        record.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        record.getMessage().setHeader(KafkaConstants.MANUAL_COMMIT, commitOf(record, partition, offset));
        if (outcome != null) {
            record.getMessage().setHeader(SluiceHeaders.DELIVER_OUTCOME, outcome);
        }
        records.add(record);
        return record;
    }

    private void poisonRecord(TopicPartition partition, long offset) {
        record(partition, offset, null).getMessage().setHeader(RecordHeaders.DEAD_LETTER_REASON, "no key");
    }

    private KafkaManualCommit commitOf(Exchange record, TopicPartition partition, long offset) {
        return new DefaultKafkaManualAsyncCommit(
                new KafkaManualCommitFactory.CamelExchangePayload(record, consumer, "test", null),
                new KafkaManualCommitFactory.KafkaRecordPayload(partition, offset, 5000),
                new Told());
    }

    /** What Camel's commit manager is told (recordOffset); the rest is not called. */
    private final class Told implements CommitManager {
        @Override
        public KafkaManualCommit getManualCommit(
                Exchange exchange, TopicPartition partition, ConsumerRecord<Object, Object> consumerRecord) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void commit() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void commit(TopicPartition partition) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void forceCommit(TopicPartition partition, long partitionLastOffset) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void recordOffset(TopicPartition partition, long partitionLastOffset) {
            told.put(partition, partitionLastOffset);
        }
    }
}
